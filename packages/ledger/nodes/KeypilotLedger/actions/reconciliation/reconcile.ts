import { LedgerInputError } from '../../../../core/fields';
import { reconcile, type ReconcileRequest } from '../../../../core/reconcile';
import { toDecimal } from '../../../../common/money';
import type { Operation } from '../../../../common/operation';
import { inLedger } from '../../../postgres/pool';

const PROVIDERS = ['anthropic', 'openai', 'openrouter', 'volcengine'];

interface Input extends ReconcileRequest {
	output: 'newDrifts' | 'all';
}

function day(value: unknown, field: string): string {
	const text = typeof value === 'string' ? value.trim() : '';
	const match = /^\d{4}-\d{2}-\d{2}/.exec(text);
	if (!match || Number.isNaN(Date.parse(`${match[0]}T00:00:00Z`))) {
		throw new LedgerInputError(field, 'a day such as "2026-11-01"', value);
	}
	return match[0];
}

/**
 * Metered against billed cost per provider, API key and UTC day (llm_cost_drift), each drift
 * beyond tolerance output once: the alert workflow tells it once per key and day.
 */
export const operation: Operation<Input> = {
	option: {
		name: 'Reconcile',
		value: 'reconcile',
		action: 'Reconcile metered against billed cost',
		description:
			'Compare metered and billed cost per key and day; outputs each drift beyond tolerance once',
	},
	description: [
		{
			displayName: 'First Day',
			name: 'firstDay',
			type: 'dateTime',
			default: "={{ $now.setZone('UTC').minus({ days: 7 }).toFormat('yyyy-MM-dd') }}",
			required: true,
			description: 'UTC day',
		},
		{
			displayName: 'Last Day',
			name: 'lastDay',
			type: 'dateTime',
			default: "={{ $now.setZone('UTC').toFormat('yyyy-MM-dd') }}",
			required: true,
			description: 'UTC day, included; a day not over yet is marked open, not drift',
		},
		{
			displayName: 'Tolerance (%)',
			name: 'tolerance',
			type: 'number',
			default: 2,
			typeOptions: { minValue: 0, maxValue: 100, numberPrecision: 2 },
			description: 'Of the billed amount: a smaller difference is matched',
		},
		{
			displayName: 'Providers',
			name: 'providers',
			type: 'multiOptions',
			options: [
				{ name: 'Anthropic', value: 'anthropic' },
				{ name: 'OpenAI', value: 'openai' },
				{ name: 'OpenRouter', value: 'openrouter' },
				{ name: 'Volcengine', value: 'volcengine' },
			],
			default: ['openai'],
		},
		{
			displayName: 'Output',
			name: 'output',
			type: 'options',
			options: [
				{
					name: 'New Drifts',
					value: 'newDrifts',
					description: 'Each key and day beyond tolerance once, for alerts',
				},
				{ name: 'Every Row', value: 'all', description: 'The whole drift table of the range' },
			],
			default: 'newDrifts',
		},
	],
	check(itemIndex) {
		const from = day(this.getNodeParameter('firstDay', itemIndex), 'First Day');
		const to = day(this.getNodeParameter('lastDay', itemIndex), 'Last Day');
		if (to < from) throw new LedgerInputError('Last Day', `a day on or after ${from}`, to);
		const tolerance = this.getNodeParameter('tolerance', itemIndex, 2) as unknown;
		if (typeof tolerance !== 'number' || !(tolerance >= 0 && tolerance <= 100)) {
			throw new LedgerInputError('Tolerance (%)', 'a percentage from 0 to 100', tolerance);
		}
		const providers = this.getNodeParameter('providers', itemIndex, []) as string[];
		if (!providers.length || providers.some((provider) => !PROVIDERS.includes(provider))) {
			throw new LedgerInputError('Providers', `one or more of ${PROVIDERS.join(', ')}`, providers);
		}
		const output = this.getNodeParameter('output', itemIndex, 'newDrifts') as Input['output'];
		return { from, to, tolerancePercent: toDecimal(tolerance), providers, output };
	},
	write: inLedger(async function (db, inputs) {
		const output = [];
		for (const { item, input } of inputs) {
			const rows = await reconcile(db, input);
			for (const row of rows) {
				if (input.output === 'newDrifts' && !row.new_drift) continue;
				output.push({ json: { ...row }, pairedItem: { item } });
			}
		}
		return output;
	}),
};
