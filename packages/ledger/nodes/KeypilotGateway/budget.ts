import { checkQuota, describeLayers } from '../../core/quota';
import type { Exchange } from './exchange';

/**
 * `GET /v1/keypilot/budget[?model=…]`: what the calling token has left, on every layer it spends
 * on (its own quotas, its team's, its organization's; with `model`, the model caps that apply),
 * in enforcement order, so a client can see its budget and rate limits before it is refused.
 */
export async function serveBudget(ex: Exchange): Promise<void> {
	const wire = ex.header('anthropic-version') !== undefined ? 'anthropic' : 'openai';
	if (!ex.token) {
		await ex.admit(undefined, wire);
		return;
	}
	if ((await ex.ledger(false)) === false || !(await ex.admit(undefined, wire))) return;
	const model = ex.query('model')?.trim() || null;
	const row = await checkQuota(
		ex.pool,
		{ type: 'token_hash', id: ex.auth.token_hash },
		{ model, tokens: '0', usd: '0' },
	);
	ex.res.status(200).json({
		object: 'keypilot.budget',
		model,
		layers: describeLayers(row?.layers ?? []),
	});
}
