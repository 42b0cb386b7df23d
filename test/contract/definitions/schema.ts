/** Small builders for definitions written as data: OpenAPI 3.1 objects, nothing more. */
export type Json = Record<string, unknown>;

export const text: Json = { type: 'string' };
export const nullableText: Json = { type: ['string', 'null'] };
export const integer = (minimum?: number, maximum?: number): Json => ({
	type: 'integer',
	...(minimum === undefined ? {} : { minimum }),
	...(maximum === undefined ? {} : { maximum }),
});
export const oneOfValues = (...values: string[]): Json => ({ type: 'string', enum: values });
export const list = (items: Json): Json => ({ type: 'array', items });

/** A request body: only these fields, as the real APIs refuse others. */
export const body = (properties: Json, required: string[] = []): Json => ({
	type: 'object',
	properties,
	required,
	additionalProperties: false,
});

/** A response object: these fields at least (providers add fields over time). */
export const answer = (properties: Json, required: string[] = Object.keys(properties)): Json => ({
	type: 'object',
	properties,
	required,
});

export const query = (name: string, schema: Json, required = false): Json => ({
	name,
	in: 'query',
	required,
	schema,
});

export const pathId = (name: string): Json => ({
	name,
	in: 'path',
	required: true,
	schema: text,
});

/** One operation, citing the official page or SDK model it was written from. */
export function operation(
	operationId: string,
	source: string,
	spec: { parameters?: Json[]; body?: Json; answer: Json; status?: number },
): Json {
	return {
		operationId,
		'x-source': source,
		parameters: spec.parameters ?? [],
		...(spec.body
			? { requestBody: { required: true, content: { 'application/json': { schema: spec.body } } } }
			: {}),
		responses: {
			[String(spec.status ?? 200)]: {
				description: 'success',
				content: { 'application/json': { schema: spec.answer } },
			},
		},
	};
}

export function definition(title: string, paths: Json): Json {
	return { openapi: '3.1.0', info: { title, version: 'contract' }, paths };
}
