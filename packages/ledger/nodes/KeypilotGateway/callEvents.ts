import type { GatewayEvent } from '../../core/gateway/events';
import type { BoundViolation } from '../../core/tokens';
import type { UsageRow } from '../../core/usage/store';
import type { Exchange } from './exchange';

/**
 * What the workflow hears of a logged call: a provider error (or no answer), a suspension, and the
 * call itself when the trigger hands on every request.
 */
export function callEvents(
	ex: Exchange,
	row: UsageRow,
	violation?: BoundViolation,
): GatewayEvent[] {
	const facts = { ...ex.facts(), model: row.model };
	const events: GatewayEvent[] = [];
	// No answer, an error status, or an answer that broke off.
	const failed = row.status_code === null || row.status_code >= 400 || row.error_message !== null;
	if (failed && ex.emits.has('provider_error')) {
		events.push({
			kind: 'provider_error',
			event: {
				event: 'provider_error',
				...facts,
				status: row.status_code,
				message: row.error_message,
				request_id: row.request_id,
				upstream: ex.auth.upstream,
			},
		});
	}
	if (violation && ex.emits.has('suspended')) {
		events.push({
			kind: 'suspended',
			event: {
				event: 'suspended',
				...facts,
				request_id: violation.request_id,
				bound_tokens: violation.bound_tokens,
				reported_tokens: violation.reported_tokens,
				message: `The provider reported ${violation.reported_tokens} tokens for a request bounded at ${violation.bound_tokens}: the token is suspended until lifted (KeyPilot Ledger: Gateway Token, Lift Suspension)`,
			},
		});
	}
	if (ex.emits.has('request')) {
		events.push({
			kind: 'request',
			event: {
				event: 'request',
				...facts,
				status: row.status_code,
				request_id: row.request_id,
				input_tokens: row.input_tokens,
				output_tokens: row.output_tokens,
				total_tokens: row.total_tokens,
				cost_usd: row.cost_usd,
				usage_complete: row.usage_complete,
				response_ms: row.response_ms,
			},
		});
	}
	return events;
}
