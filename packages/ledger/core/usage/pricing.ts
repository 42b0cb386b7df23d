/**
 * Prices per token as exact decimals, from a LiteLLM-format table, from @pydantic/genai-prices'
 * data, or from per-model overrides, and the exact cost of one request. Pure: no n8n import.
 */
import {
	addDecimals,
	compareDecimals,
	multiplyDecimal,
	shiftDecimal,
	toDecimal,
} from '../../common/money';
import type { TokenCounts } from './types';

/** USD per token, exact decimal strings. */
export interface TokenPrices {
	input?: string;
	output?: string;
	cacheRead?: string;
	cacheWrite5m?: string;
	cacheWrite1h?: string;
	/** Only when reasoning is priced apart from other output. */
	reasoning?: string;
	/** USD per web search the provider ran (not per token). */
	webSearch?: string;
	/** USD per request, whatever its tokens (Perplexity's request fee). */
	request?: string;
}

export interface ModelPricing {
	source: string;
	base: TokenPrices;
	/** Prices that apply once the request's whole input reaches `minInputTokens`. */
	tiers: Array<{ minInputTokens: number; prices: TokenPrices }>;
}

export interface PriceLookup {
	/** Pricing for a model, or undefined when the source does not know it. */
	find(model: string, provider: string): ModelPricing | undefined;
}

function decimal(value: unknown): string | undefined {
	if (typeof value !== 'number' && typeof value !== 'string') return undefined;
	try {
		return toDecimal(value);
	} catch {
		return undefined;
	}
}

function defined(prices: TokenPrices): TokenPrices {
	return Object.fromEntries(
		Object.entries(prices).filter(([, value]) => value !== undefined),
	) as TokenPrices;
}

// ---------------------------------------------------------------------------------------------
// LiteLLM's model_prices_and_context_window.json

const LITELLM_FIELDS: Array<[keyof TokenPrices, string]> = [
	['input', 'input_cost_per_token'],
	['output', 'output_cost_per_token'],
	['cacheRead', 'cache_read_input_token_cost'],
	['cacheWrite5m', 'cache_creation_input_token_cost'],
	['cacheWrite1h', 'cache_creation_input_token_cost_above_1hr'],
	['reasoning', 'output_cost_per_reasoning_token'],
];

function liteLlmPrices(entry: Record<string, unknown>, suffix = ''): TokenPrices {
	const prices: TokenPrices = {};
	for (const [field, key] of LITELLM_FIELDS) prices[field] = decimal(entry[`${key}${suffix}`]);
	// LiteLLM prices a search by the context size asked for; OpenAI's default is medium.
	const search = entry[`search_context_cost_per_query${suffix}`];
	if (typeof search === 'object' && search !== null)
		prices.webSearch = decimal((search as Record<string, unknown>).search_context_size_medium);
	return defined(prices);
}

/** One LiteLLM entry: base prices, `_above_<N>k_tokens` tiers and `tiered_pricing` bands. */
export function pricingFromLiteLlm(entry: Record<string, unknown>, source: string): ModelPricing {
	const base = liteLlmPrices(entry);
	const thresholds = new Set<number>();
	for (const key of Object.keys(entry)) {
		const match = /_above_(\d+)k_tokens$/.exec(key);
		if (match) thresholds.add(Number(match[1]) * 1000);
	}
	const tiers = [...thresholds].map((threshold) => ({
		minInputTokens: threshold + 1,
		prices: liteLlmPrices(entry, `_above_${threshold / 1000}k_tokens`),
	}));
	const bands = entry.tiered_pricing;
	if (Array.isArray(bands)) {
		for (const band of bands as Array<Record<string, unknown>>) {
			const start = Array.isArray(band.range) ? Number(band.range[0]) : NaN;
			if (!Number.isFinite(start)) continue;
			const prices = liteLlmPrices(band);
			if (start === 0) Object.assign(base, prices);
			else tiers.push({ minInputTokens: start, prices });
		}
	}
	tiers.sort((a, b) => a.minInputTokens - b.minInputTokens);
	return { source, base, tiers };
}

export class PriceTableError extends Error {}

/** A LiteLLM-format table, looked up by model name, then by "provider/model". */
export function liteLlmLookup(table: unknown, source: string): PriceLookup {
	if (typeof table !== 'object' || table === null || Array.isArray(table)) {
		throw new PriceTableError(
			`The price table at ${source} is not a LiteLLM-format JSON object (model name → prices)`,
		);
	}
	const entries = table as Record<string, unknown>;
	const cache = new Map<string, ModelPricing | undefined>();
	return {
		find(model, provider) {
			const key = `${provider}\u0000${model}`;
			if (cache.has(key)) return cache.get(key);
			const names = [model, `${provider}/${model}`, model.toLowerCase()];
			const entry = names
				.map((name) => entries[name])
				.find(
					(candidate) =>
						typeof candidate === 'object' &&
						candidate !== null &&
						('input_cost_per_token' in candidate || 'tiered_pricing' in candidate),
				) as Record<string, unknown> | undefined;
			const pricing = entry ? pricingFromLiteLlm(entry, source) : undefined;
			cache.set(key, pricing);
			return pricing;
		},
	};
}

// ---------------------------------------------------------------------------------------------
// @pydantic/genai-prices (prices per million tokens, possibly tiered by input size)

type MtokPrice =
	| number
	| { base: number; tiers: Array<{ start: number; price: number }> }
	| undefined;

const GENAI_FIELDS: Array<[keyof TokenPrices, string]> = [
	['input', 'input_mtok'],
	['output', 'output_mtok'],
	['cacheRead', 'cache_read_mtok'],
	['cacheWrite5m', 'cache_write_mtok'],
	['cacheWrite1h', 'cache_write_1h_mtok'],
];

/** Prices genai-prices gives per thousand of something: searches, requests. */
const GENAI_PER_THOUSAND: Array<[keyof TokenPrices, string]> = [
	['webSearch', 'web_searches_kcount'],
	['request', 'requests_kcount'],
];

function perToken(value: number): string {
	return shiftDecimal(toDecimal(value), -6);
}

export function pricingFromGenaiPrices(
	modelPrice: Record<string, unknown>,
	source: string,
): ModelPricing {
	const base: TokenPrices = {};
	const tierPrices = new Map<number, TokenPrices>();
	for (const [field, key] of GENAI_FIELDS) {
		const price = modelPrice[key] as MtokPrice;
		if (typeof price === 'number') base[field] = perToken(price);
		else if (price && typeof price === 'object') {
			base[field] = perToken(price.base);
			for (const tier of price.tiers) {
				const prices = tierPrices.get(tier.start) ?? {};
				prices[field] = perToken(tier.price);
				tierPrices.set(tier.start, prices);
			}
		}
	}
	for (const [field, key] of GENAI_PER_THOUSAND) {
		const price = modelPrice[key];
		if (typeof price === 'number') base[field] = shiftDecimal(toDecimal(price), -3);
	}
	const tiers = [...tierPrices.entries()]
		.sort(([a], [b]) => a - b)
		.map(([start, prices]) => ({ minInputTokens: start + 1, prices }));
	return { source, base, tiers };
}

// ---------------------------------------------------------------------------------------------

/** Overrides, then each source in turn; the first that knows the model prices it. */
export function chainLookups(...lookups: Array<PriceLookup | undefined>): PriceLookup {
	return {
		find(model, provider) {
			for (const lookup of lookups) {
				const pricing = lookup?.find(model, provider);
				if (pricing) return pricing;
			}
			return undefined;
		},
	};
}

export function overrideLookup(
	overrides: Array<{ model: string; perMillion: TokenPrices; perThousandSearches?: string }>,
): PriceLookup {
	const byModel = new Map(
		overrides.map(({ model, perMillion, perThousandSearches }) => [
			model.trim().toLowerCase(),
			{
				source: 'override',
				base: {
					...(Object.fromEntries(
						Object.entries(defined(perMillion)).map(([field, value]) => [
							field,
							shiftDecimal(value as string, -6),
						]),
					) as TokenPrices),
					...(perThousandSearches === undefined
						? {}
						: { webSearch: shiftDecimal(perThousandSearches, -3) }),
				},
				tiers: [],
			},
		]),
	);
	return { find: (model) => byModel.get(model.trim().toLowerCase()) };
}

export interface Cost {
	cost_usd: string;
	price_source: string;
}

/** The prices of the tier the request's whole input (uncached, cache reads and writes) falls in. */
function pricesFor(counts: TokenCounts, pricing: ModelPricing): TokenPrices {
	const totalInput =
		(counts.input_tokens ?? 0) +
		(counts.cache_read_tokens ?? 0) +
		(counts.cache_write_5m_tokens ?? 0) +
		(counts.cache_write_1h_tokens ?? 0);
	let prices: TokenPrices = pricing.base;
	for (const tier of pricing.tiers)
		if (totalInput >= tier.minInputTokens) prices = { ...prices, ...defined(tier.prices) };
	return prices;
}

/**
 * The exact cost of one request. The tier is chosen by the request's whole input (uncached,
 * cache reads and writes). A price the tier lacks falls back to the base price; a cache price the
 * model lacks falls back to its input price, and 1-hour writes to 5-minute writes.
 */
export function costOf(counts: TokenCounts, pricing: ModelPricing): Cost {
	const prices = pricesFor(counts, pricing);

	const input = prices.input ?? '0';
	const cacheWrite5m = prices.cacheWrite5m ?? input;
	const parts: Array<[number | null, string]> = [
		[counts.input_tokens, input],
		[counts.cache_read_tokens, prices.cacheRead ?? input],
		[counts.cache_write_5m_tokens, cacheWrite5m],
		[counts.cache_write_1h_tokens, prices.cacheWrite1h ?? cacheWrite5m],
	];
	const output = counts.output_tokens ?? 0;
	if (prices.reasoning && counts.reasoning_tokens) {
		const reasoning = Math.min(counts.reasoning_tokens, output);
		parts.push([reasoning, prices.reasoning], [output - reasoning, prices.output ?? '0']);
	} else {
		parts.push([output, prices.output ?? '0']);
	}
	parts.push([counts.web_search_requests, prices.webSearch ?? '0']);
	if (prices.request) parts.push([1, prices.request]);
	const cost = addDecimals(
		'0',
		...parts.map(([tokens, price]) => multiplyDecimal(price, String(tokens ?? 0))),
	);
	return { cost_usd: cost, price_source: pricing.source };
}

/** Why a request's counts cannot be priced in full by this pricing, if they cannot. */
export function unpricedPart(counts: TokenCounts, pricing: ModelPricing): string | undefined {
	if ((counts.web_search_requests ?? 0) > 0 && !pricesFor(counts, pricing).webSearch) {
		return `${counts.web_search_requests} web searches, which ${pricing.source} has no per-search price for`;
	}
	return undefined;
}

/**
 * The highest price a prompt token and an output token can have for this model, over every tier:
 * a prompt token may be uncached input, a cache read or a cache write; an output token may be
 * reasoning. Undefined when the model has no input or no output price (it cannot be bounded).
 */
export function priceCeiling(
	pricing: ModelPricing,
): { input: string; output: string; search?: string; request?: string } | undefined {
	const all = [pricing.base, ...pricing.tiers.map((tier) => tier.prices)];
	const highest = (values: Array<string | undefined>) =>
		values
			.filter((value): value is string => value !== undefined)
			.reduce<
				string | undefined
			>((max, value) => (max === undefined || compareDecimals(value, max) > 0 ? value : max), undefined);
	const input = highest(all.flatMap((p) => [p.input, p.cacheRead, p.cacheWrite5m, p.cacheWrite1h]));
	const output = highest(all.flatMap((p) => [p.output, p.reasoning]));
	if (input === undefined || output === undefined) return undefined;
	const search = highest(all.map((p) => p.webSearch));
	const request = highest(all.map((p) => p.request));
	return {
		input,
		output,
		...(search === undefined ? {} : { search }),
		...(request === undefined ? {} : { request }),
	};
}
