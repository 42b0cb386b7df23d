/**
 * A key's usage as the provider reports it, in one row shape: Claude Admin's usage report grouped
 * by API key (one row per key and bucket, models summed) and OpenRouter's key list (usage and
 * limit, one snapshot per key and hour). Token columns mean what they mean in llm_usage_log:
 * input_tokens is input neither read from nor written to a cache.
 */
import {
	at,
	type Item,
	instant,
	nullableCount,
	nullableDecimal,
	optionalText,
	text,
} from './fields';
import type { Row, TableSpec } from './upsert';

export const SNAPSHOT_PROVIDERS = ['anthropic', 'openrouter'] as const;
export type SnapshotProvider = (typeof SNAPSHOT_PROVIDERS)[number];

const TOKENS = [
	'input_tokens',
	'output_tokens',
	'cache_read_tokens',
	'cache_write_5m_tokens',
	'cache_write_1h_tokens',
];

export const SNAPSHOTS: TableSpec = {
	table: 'llm_api_key_usage',
	key: ['provider', 'key_id', 'snapshot_at'],
	values: [
		'period_start',
		'period_end',
		'requests',
		...TOKENS,
		'cost_usd',
		'limit_usd',
		'limit_remaining',
		'metadata',
	],
	summed: ['requests', ...TOKENS],
};

/** The start of the UTC hour: OpenRouter reports running totals, kept once per hour. */
export function hourOf(now: Date): string {
	const hour = new Date(now);
	hour.setUTCMinutes(0, 0, 0);
	return hour.toISOString();
}

export function snapshotRow(provider: SnapshotProvider, item: Item, now: Date): Row {
	if (provider === 'anthropic') {
		const start = instant(item, 'bucket_start');
		return {
			provider,
			key_id: optionalText(item, 'api_key_id'),
			snapshot_at: start,
			period_start: start,
			period_end: instant(item, 'bucket_end'),
			requests: null,
			input_tokens: nullableCount(item, 'uncached_input_tokens') ?? '0',
			output_tokens: nullableCount(item, 'output_tokens') ?? '0',
			cache_read_tokens: nullableCount(item, 'cache_read_input_tokens') ?? '0',
			cache_write_5m_tokens: nullableCount(item, 'cache_creation_5m_input_tokens') ?? '0',
			cache_write_1h_tokens: nullableCount(item, 'cache_creation_1h_input_tokens') ?? '0',
			cost_usd: null,
			limit_usd: null,
			limit_remaining: null,
			metadata: JSON.stringify({ workspace_id: at(item, 'workspace_id') ?? null }),
		};
	}
	const usage = (field: string) => nullableDecimal(item, field);
	return {
		provider,
		key_id: text(item, 'hash'),
		snapshot_at: hourOf(now),
		period_start: null,
		period_end: null,
		requests: null,
		input_tokens: null,
		output_tokens: null,
		cache_read_tokens: null,
		cache_write_5m_tokens: null,
		cache_write_1h_tokens: null,
		cost_usd: usage('usage') ?? '0',
		limit_usd: usage('limit'),
		limit_remaining: usage('limit_remaining'),
		metadata: JSON.stringify({
			limit_reset: at(item, 'limit_reset') ?? null,
			usage_daily: usage('usage_daily'),
			usage_weekly: usage('usage_weekly'),
			usage_monthly: usage('usage_monthly'),
			include_byok_in_limit: at(item, 'include_byok_in_limit') ?? false,
		}),
	};
}
