/** What a logged call cost, by the one rule every ledger node uses. Pure: no n8n import. */
import { costOf, unpricedPart, type ModelPricing, type PriceLookup } from './pricing';
import type { ExtractedUsage } from './types';

/** The prices of one execution: per-model overrides first, then the catalog. */
export interface PriceBook {
	/** Per-model overrides: they win over everything, a provider's own cost included. */
	overrides: PriceLookup;
	/** A LiteLLM-format table when one was given, then genai-prices. */
	catalog: PriceLookup;
}

export interface PricedUsage {
	cost_usd: string | null;
	price_source: string | null;
	/** Set when no price is known: the cost stays empty (never 0). */
	warning?: string;
}

/** An override, else the cost the provider reported, else the catalog's price; else no cost. */
export function priceUsage(usage: ExtractedUsage, prices: PriceBook): PricedUsage {
	const override = usage.model ? prices.overrides.find(usage.model, usage.provider) : undefined;
	if (override) return priced(usage, override);
	if (usage.provider_cost_usd !== null) {
		return {
			cost_usd: usage.provider_cost_usd,
			price_source: usage.api_flavor === 'manual' ? 'given' : `${usage.provider}:reported`,
		};
	}
	const pricing = usage.model ? prices.catalog.find(usage.model, usage.provider) : undefined;
	if (!pricing) {
		return {
			cost_usd: null,
			price_source: null,
			warning: `No price is known for model "${usage.model ?? '(none)'}" of ${usage.provider}: cost left empty. Add a price override or a LiteLLM-format price table.`,
		};
	}
	return priced(usage, pricing);
}

/** The cost by this pricing, or no cost when part of what was billed has no price in it. */
function priced(usage: ExtractedUsage, pricing: ModelPricing): PricedUsage {
	const unpriced = unpricedPart(usage, pricing);
	if (unpriced) {
		return {
			cost_usd: null,
			price_source: null,
			warning: `The request used ${unpriced}: cost left empty (a USD quota is charged its whole reservation). Add a price override with a per-search price.`,
		};
	}
	return costOf(usage, pricing);
}
