/**
 * A provider's official OpenAPI definition as the judge of what our nodes send and what our
 * fixtures answer. Matching, parameter parsing and schema checks are openapi-backend's (Ajv
 * underneath); on top of it two rules the definitions state but a permissive validator lets
 * pass: a query parameter must be named exactly as defined (`group_by`, not `group_by[]`), and a
 * JSON body may hold only the fields its schema declares.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import OpenAPIBackend from 'openapi-backend';
import YAML from 'yaml';

export const SHARED_SPECS = path.resolve(__dirname, '../../../../shared/specs');

export interface CapturedRequest {
	method: string;
	/** Path below the API's base URL, with its query string. */
	url: string;
	body?: unknown;
}

export interface RequestVerdict {
	operationId?: string;
	errors: string[];
}

type Schema = Record<string, unknown>;

export function specPath(file: string): string {
	const full = path.join(SHARED_SPECS, file);
	if (!existsSync(full)) throw new Error(`${full} is missing: ../shared must sit beside the repo`);
	return full;
}

export class OpenApiContract {
	private api!: OpenAPIBackend;
	readonly operations: Array<{ method: string; path: string; operationId: string }> = [];

	private constructor() {}

	/** Loads a definition file, keeping only the paths under `prefixes` (all components stay). */
	static async load(file: string, prefixes: string[] = ['/']): Promise<OpenApiContract> {
		const doc = YAML.parse(readFileSync(specPath(file), 'utf8')) as Record<string, unknown>;
		return await OpenApiContract.fromDocument(doc, prefixes);
	}

	/** A definition given as data, such as one written from a provider's reference pages. */
	static async fromDocument(
		doc: Record<string, unknown>,
		prefixes: string[] = ['/'],
	): Promise<OpenApiContract> {
		expressNullable(doc);
		const paths = doc.paths as Record<string, Record<string, unknown>>;
		doc.paths = Object.fromEntries(
			Object.entries(paths).filter(([p]) => prefixes.some((prefix) => p.startsWith(prefix))),
		);
		const contract = new OpenApiContract();
		// `quick` skips openapi-backend's check of the definition against the 3.0 meta-schema,
		// which a 3.1 document does not pass; schemas are still compiled and enforced.
		contract.api = new OpenAPIBackend({
			definition: doc as never,
			quick: true,
			validate: true,
			ajvOpts: { strict: false, logger: false },
		});
		await contract.api.init();
		for (const [p, item] of Object.entries(doc.paths as Record<string, Record<string, Schema>>))
			for (const [method, operation] of Object.entries(item))
				if (['get', 'post', 'put', 'patch', 'delete'].includes(method))
					contract.operations.push({
						method: method.toUpperCase(),
						path: p,
						operationId: String(operation.operationId),
					});
		return contract;
	}

	check(request: CapturedRequest): RequestVerdict {
		const [pathname, queryString = ''] = request.url.split('?');
		const method = request.method.toLowerCase();
		const operation = this.api.router.matchOperation({
			method,
			path: decodeURI(pathname),
			headers: {},
		});
		if (!operation) return { errors: [`${request.method} ${pathname} is not in the definition`] };
		const errors: string[] = [];
		const query = definedQuery(operation.parameters as Schema[] | undefined, queryString, errors);
		const result = this.api.validateRequest({
			method,
			path: pathname,
			query: query as never,
			body: request.body,
			headers: { 'content-type': 'application/json' },
		});
		for (const error of result.errors ?? [])
			errors.push(`${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`);
		const bodySchema = (
			operation.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined
		)?.content?.['application/json']?.schema;
		if (request.body !== undefined && !bodySchema)
			errors.push('a JSON body was sent to an operation that takes none');
		if (request.body !== undefined && bodySchema)
			for (const field of unknownFields(request.body, bodySchema, 'body'))
				errors.push(`${field} is not a field of the request schema`);
		return { operationId: operation.operationId, errors };
	}

	/** A response the definition allows for this operation, with every list on its last page. */
	mockResponse(operationId: string): unknown {
		const { mock } = this.api.mockResponseForOperation(operationId);
		return lastPage(mock);
	}

	responseErrors(operationId: string, body: unknown, status = 200): string[] {
		const result = this.api.validateResponse(body, operationId, status);
		return (result.errors ?? []).map(
			(error) => `${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`,
		);
	}
}

/**
 * The query as the definition names it: a key must be a parameter's exact name (`group_by`, or
 * `project_ids[]` where the definition spells it so), repeated only for an array parameter, or
 * `name[key]` for a property of an object parameter (deepObject, as `effective_at[gte]`).
 */
function definedQuery(parameters: Schema[] | undefined, queryString: string, errors: string[]) {
	const byName = new Map(
		(parameters ?? [])
			.filter((parameter) => parameter.in === 'query')
			.map((parameter) => [String(parameter.name), (parameter.schema ?? {}) as Schema]),
	);
	const query: Record<string, unknown> = {};
	for (const [key, value] of new URLSearchParams(queryString)) {
		const schema = byName.get(key);
		if (schema?.type === 'array') {
			((query[key] ??= []) as string[]).push(value);
		} else if (schema) {
			if (key in query) errors.push(`query parameter "${key}" is sent twice`);
			query[key] = value;
		} else {
			const deep = /^([^[\]]+)\[([^[\]]+)\]$/.exec(key);
			const parent = deep ? byName.get(deep[1]) : undefined;
			if (deep && parent?.type === 'object')
				((query[deep[1]] ??= {}) as Record<string, string>)[deep[2]] = value;
			else errors.push(`query parameter "${key}" is not defined`);
		}
	}
	return query;
}

function lastPage(mock: unknown): unknown {
	if (mock && typeof mock === 'object' && !Array.isArray(mock)) {
		const copy = { ...(mock as Schema) };
		if (copy.has_more === true) copy.has_more = false;
		return copy;
	}
	return mock;
}

/**
 * OpenAI's 3.1 definition still writes `nullable: true` (a 3.0 keyword), sometimes on a schema
 * without `type`, which Ajv refuses to compile. Say the same in 3.1 terms: null is one more type.
 */
function expressNullable(node: unknown): void {
	if (Array.isArray(node)) {
		node.forEach(expressNullable);
		return;
	}
	if (!node || typeof node !== 'object') return;
	const schema = node as Schema;
	for (const value of Object.values(schema)) expressNullable(value);
	if (!('nullable' in schema)) return;
	const nullable = schema.nullable === true;
	delete schema.nullable;
	if (!nullable) return;
	if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
	else if (Array.isArray(schema.type)) schema.type = [...new Set([...schema.type, 'null'])];
	else {
		const copy = { ...schema };
		for (const key of Object.keys(schema)) delete schema[key];
		schema.anyOf = [copy, { type: 'null' }];
	}
}

/** Branches a value may match: the schema itself and its allOf/anyOf/oneOf parts, nested. */
function branches(schema: Schema): Schema[] {
	const parts = [schema];
	for (const key of ['allOf', 'anyOf', 'oneOf'])
		for (const sub of (schema[key] as Schema[] | undefined) ?? []) parts.push(...branches(sub));
	return parts;
}

/** Fields of `value` that no branch of `schema` declares, where the schema closes its fields. */
export function unknownFields(value: unknown, schema: Schema, at: string): string[] {
	if (Array.isArray(value)) {
		const items = branches(schema)
			.map((part) => part.items as Schema | undefined)
			.filter((items): items is Schema => !!items);
		return value.flatMap((element, index) =>
			items.length ? unknownFields(element, { anyOf: items }, `${at}[${index}]`) : [],
		);
	}
	if (!value || typeof value !== 'object') return [];
	const parts = branches(schema);
	if (parts.some((part) => part.additionalProperties && part.additionalProperties !== false))
		return [];
	const declared = parts.filter((part) => part.properties);
	if (declared.length === 0) return [];
	const found: string[] = [];
	for (const [key, child] of Object.entries(value)) {
		const childSchemas = declared
			.map((part) => (part.properties as Record<string, Schema>)[key])
			.filter((s): s is Schema => !!s);
		if (childSchemas.length === 0) found.push(`${at}.${key}`);
		else found.push(...unknownFields(child, { anyOf: childSchemas }, `${at}.${key}`));
	}
	return found;
}
