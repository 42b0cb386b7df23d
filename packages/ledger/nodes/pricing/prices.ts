import { createHash } from 'node:crypto';

import { calcPrice } from '@pydantic/genai-prices';
import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseJsonExact } from '../../common/exactJson';
import { toDecimal } from '../../common/money';
import type { PriceBook } from '../../core/usage/price';
import {
	chainLookups,
	liteLlmLookup,
	overrideLookup,
	pricingFromGenaiPrices,
	PriceTableError,
	type ModelPricing,
	type PriceLookup,
	type TokenPrices,
} from '../../core/usage/pricing';

/** genai-prices' provider ids for ours. */
const GENAI_PROVIDER: Record<string, string | undefined> = {
	openai: 'openai',
	azure_openai: 'azure',
	anthropic: 'anthropic',
	google: 'google',
	openrouter: 'openrouter',
};

/**
 * Prices from @pydantic/genai-prices: the version installed with this package, kept current by
 * its semver range. Matching a model walks the whole catalogue, so each answer is remembered for
 * an hour (prices can change by date).
 */
const MATCH_TTL_MS = 60 * 60_000;
const matches = new Map<string, { pricing: ModelPricing | undefined; at: number }>();

export const genaiPricesLookup: PriceLookup = {
	find(model, provider) {
		const key = `${provider}\u0000${model}`;
		const known = matches.get(key);
		if (known && Date.now() - known.at < MATCH_TTL_MS) return known.pricing;
		const providerId = GENAI_PROVIDER[provider];
		const calculation = calcPrice(
			{ input_tokens: 0, output_tokens: 0 },
			model,
			providerId ? { providerId } : {},
		);
		const pricing = calculation
			? pricingFromGenaiPrices(calculation.model_price as Record<string, unknown>, 'genai-prices')
			: undefined;
		matches.set(key, { pricing, at: Date.now() });
		return pricing;
	},
};

/**
 * LiteLLM-format tables read in this process, by location, for ten minutes: a table is ~1 MB and
 * read for every batch otherwise. Each n8n worker keeps its own copy; nothing else is kept.
 */
const TABLE_TTL_MS = 10 * 60_000;
const tables = new Map<string, { lookup: PriceLookup; loadedAt: number }>();

function parseTable(this: IExecuteFunctions, text: string, source: string): PriceLookup {
	try {
		return liteLlmLookup(parseJsonExact(text), `litellm:${source}`);
	} catch (error) {
		const message =
			error instanceof PriceTableError ? error.message : `The price table ${source} is not JSON`;
		throw new NodeOperationError(this.getNode(), message);
	}
}

function remembered(key: string, load: () => PriceLookup): PriceLookup {
	const cached = tables.get(key);
	if (cached && Date.now() - cached.loadedAt < TABLE_TTL_MS) return cached.lookup;
	const lookup = load();
	tables.set(key, { lookup, loadedAt: Date.now() });
	return lookup;
}

/** A table fetched with n8n's HTTP helper (proxy and SSL settings as n8n has them). */
async function tableFromUrl(this: IExecuteFunctions, url: string): Promise<PriceLookup> {
	const key = `url:${url}`;
	const cached = tables.get(key);
	if (cached && Date.now() - cached.loadedAt < TABLE_TTL_MS) return cached.lookup;
	let text: string;
	try {
		text = String(await this.helpers.httpRequest({ url, json: false, encoding: 'text' }));
	} catch (error) {
		throw new NodeOperationError(
			this.getNode(),
			`Could not read the price table ${url}: ${(error as Error).message}`,
			{ description: 'Check "Price Table URL"' },
		);
	}
	return remembered(key, () => parseTable.call(this, text, url));
}

/**
 * A table in a binary property of the first input item (e.g. from Read/Write Files from Disk or
 * an HTTP Request node). Remembered by its SHA-256, so an unchanged file is parsed once.
 */
async function tableFromBinary(this: IExecuteFunctions, property: string): Promise<PriceLookup> {
	const binary = this.getInputData()[0]?.binary?.[property];
	if (!binary) {
		throw new NodeOperationError(
			this.getNode(),
			`"Price Table Binary Property": the first input item has no binary property "${property}"`,
			{
				description:
					'Read the LiteLLM-format JSON file into that property with a node before this one',
			},
		);
	}
	const buffer = await this.helpers.getBinaryDataBuffer(0, property);
	const digest = createHash('sha256').update(buffer).digest('hex');
	const source = `binary:${binary.fileName ?? property}`;
	return remembered(`binary:${digest}`, () =>
		parseTable.call(this, buffer.toString('utf8'), source),
	);
}

function price(
	node: INode,
	value: unknown,
	label: string,
	model: string,
	unit = 'per million tokens',
): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let price: string | undefined;
	try {
		price = toDecimal(value as string | number);
	} catch {
		price = undefined;
	}
	if (price === undefined || price.startsWith('-')) {
		throw new NodeOperationError(
			node,
			`Price override for "${model}": "${label}" must be a price in USD ${unit}, zero or more, got ${JSON.stringify(value)}`,
		);
	}
	return price;
}

/** The prices this execution uses: the ledger's one price rule reads them. */
export type Prices = PriceBook;

/** The prices this execution uses. */
export async function loadPrices(this: IExecuteFunctions): Promise<Prices> {
	const source = this.getNodeParameter('priceTable', 0, 'default') as string;
	let table: PriceLookup | undefined;
	if (source === 'litellmUrl' || source === 'litellmBinary') {
		const field = source === 'litellmUrl' ? 'priceTableUrl' : 'priceTableBinaryProperty';
		const label = source === 'litellmUrl' ? 'Price Table URL' : 'Price Table Binary Property';
		const location = String(this.getNodeParameter(field, 0, '')).trim();
		if (!location) {
			throw new NodeOperationError(this.getNode(), `"${label}" is required for this price table`);
		}
		table =
			source === 'litellmUrl'
				? await tableFromUrl.call(this, location)
				: await tableFromBinary.call(this, location);
	}
	const entries =
		((this.getNodeParameter('priceOverrides', 0, {}) as IDataObject).model as IDataObject[]) ?? [];
	const node = this.getNode();
	const overrides = overrideLookup(
		entries.map((entry) => {
			const model = String(entry.model ?? '').trim();
			if (!model) throw new NodeOperationError(node, 'A price override has no "Model"');
			const prices: TokenPrices = {
				input: price(node, entry.input, 'Input', model),
				output: price(node, entry.output, 'Output', model),
				cacheRead: price(node, entry.cacheRead, 'Cache Read', model),
				cacheWrite5m: price(node, entry.cacheWrite, 'Cache Write (5 Min)', model),
				cacheWrite1h: price(node, entry.cacheWrite1h, 'Cache Write (1 Hour)', model),
			};
			const webSearches = price(
				node,
				entry.webSearches,
				'Web Searches (per 1,000)',
				model,
				'per thousand searches',
			);
			return { model, perMillion: prices, perThousandSearches: webSearches };
		}),
	);
	return { overrides, catalog: chainLookups(table, genaiPricesLookup) };
}
