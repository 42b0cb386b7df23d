/**
 * A small stand-in for n8n's execution context, enough to run a node's `execute` in a unit test:
 * parameters (with the node's declared defaults), credentials, input items, and
 * `httpRequestWithAuthentication`, which applies the credential type's real `authenticate`
 * definition and sends a real HTTP request (intercepted by nock at the process edge).
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeProperties,
	INodeType,
} from 'n8n-workflow';

export interface ContextOptions {
	nodeType: INodeType;
	parameters: IDataObject | IDataObject[];
	credentialType: ICredentialType;
	credentials: ICredentialDataDecryptedObject;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** The node's "On Error" setting; either Continue makes `continueOnFail()` true, as in n8n. */
	onError?: INode['onError'];
	/** Sees every answer the (mocked) provider gave, as received. */
	onResponse?: (exchange: {
		method: string;
		url: string;
		requestBody?: string;
		status: number;
		body: string;
	}) => void;
}

function evaluateTemplate(template: unknown, credentials: ICredentialDataDecryptedObject): unknown {
	if (typeof template !== 'string' || !template.startsWith('=')) return template;
	const body = template.slice(1);
	const evaluate = (expression: string) =>
		// eslint-disable-next-line @typescript-eslint/no-implied-eval
		new Function('$credentials', `return (${expression});`)(credentials) as unknown;
	const whole = /^\{\{([\s\S]*)\}\}$/.exec(body.trim());
	if (whole) return evaluate(whole[1]);
	return body.replace(/\{\{([\s\S]*?)\}\}/g, (_match, expression: string) =>
		String(evaluate(expression)),
	);
}

function getPath(object: IDataObject, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], object);
}

function visible(property: INodeProperties, parameters: IDataObject): boolean {
	const show = property.displayOptions?.show ?? {};
	return Object.entries(show).every(([name, allowed]) =>
		(allowed as unknown[]).includes(parameters[name]),
	);
}

export function createExecuteContext(
	options: ContextOptions,
): IExecuteFunctions & { requests: IHttpRequestOptions[]; hints: Array<{ message: string }> } {
	const items: INodeExecutionData[] = options.items ?? [{ json: {} }];
	const parametersFor = (i: number): IDataObject =>
		Array.isArray(options.parameters) ? options.parameters[i] : options.parameters;
	const node: INode = {
		id: 'test-node',
		name: 'Test Node',
		type: `n8n-nodes-keypilot.${options.nodeType.description.name}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		...(options.onError ? { onError: options.onError } : {}),
	};
	const requests: IHttpRequestOptions[] = [];
	const hints: Array<{ message: string }> = [];

	const context = {
		requests,
		hints,
		addExecutionHints: (...added: Array<{ message: string }>) => hints.push(...added),
		getNode: () => node,
		getInputData: () => items,
		continueOnFail: () =>
			options.continueOnFail ??
			(options.onError === 'continueRegularOutput' || options.onError === 'continueErrorOutput'),
		getNodeParameter(
			name: string,
			itemIndex: number,
			fallback?: unknown,
			parameterOptions?: { extractValue?: boolean },
		) {
			const parameters = parametersFor(itemIndex);
			const value = getPath(parameters, name);
			// A resource locator's value, as n8n gives it with extractValue.
			if (parameterOptions?.extractValue && value && typeof value === 'object' && 'mode' in value)
				return (value as unknown as { value: unknown }).value;
			if (value !== undefined) return value;
			const declared = options.nodeType.description.properties.find(
				(property) => property.name === name && visible(property, parameters),
			);
			if (declared && declared.default !== undefined) return declared.default;
			if (fallback !== undefined) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		},
		/** As in a list search: the node's current value of a parameter. */
		getCurrentNodeParameter(name: string, parameterOptions?: { extractValue?: boolean }) {
			const value = getPath(parametersFor(0), name);
			if (parameterOptions?.extractValue && value && typeof value === 'object' && 'mode' in value)
				return (value as unknown as { value: unknown }).value;
			return value;
		},
		async getCredentials(type: string) {
			if (type !== options.credentialType.name) throw new Error(`No credentials of type ${type}`);
			return options.credentials;
		},
		helpers: {
			async getBinaryDataBuffer(itemIndex: number, property: string) {
				const binary = items[itemIndex]?.binary?.[property];
				if (!binary) throw new Error(`No binary property "${property}" on item ${itemIndex}`);
				return Buffer.from(binary.data, 'base64');
			},
			async httpRequest(request: IHttpRequestOptions) {
				const response = await fetch(request.url, { method: request.method ?? 'GET' });
				if (!response.ok) throw new Error(`Request failed with status code ${response.status}`);
				return request.json === false ? await response.text() : await response.json();
			},
			async httpRequestWithAuthentication(type: string, request: IHttpRequestOptions) {
				if (type !== options.credentialType.name) throw new Error(`No credentials of type ${type}`);
				let sent: IHttpRequestOptions = request;
				const authenticate = options.credentialType.authenticate;
				if (typeof authenticate === 'function') {
					sent = await authenticate(options.credentials, { ...request });
				}
				requests.push(sent);
				const headers: Record<string, string> = {};
				for (const [key, value] of Object.entries(sent.headers ?? {})) headers[key] = String(value);
				if (authenticate && typeof authenticate === 'object' && authenticate.type === 'generic') {
					for (const [key, template] of Object.entries(authenticate.properties.headers ?? {})) {
						const value = evaluateTemplate(template, options.credentials);
						if (value !== undefined && value !== null && value !== '') headers[key] = String(value);
					}
				}
				// fetch sets Host from the URL and refuses to be given one.
				for (const key of Object.keys(headers))
					if (key.toLowerCase() === 'host') delete headers[key];
				const response = await fetch(sent.url, {
					method: sent.method ?? 'GET',
					headers,
					body: typeof sent.body === 'string' ? sent.body : undefined,
				});
				const responseHeaders: Record<string, string> = {};
				response.headers.forEach((value, key) => (responseHeaders[key] = value));
				const text = await response.text();
				options.onResponse?.({
					method: sent.method ?? 'GET',
					url: sent.url,
					requestBody: typeof sent.body === 'string' ? sent.body : undefined,
					status: response.status,
					body: text,
				});
				return { statusCode: response.status, headers: responseHeaders, body: text };
			},
		},
	};
	return context as unknown as IExecuteFunctions & {
		requests: IHttpRequestOptions[];
		hints: Array<{ message: string }>;
	};
}

export { evaluateTemplate };

const isErrorItem = (json: IDataObject) =>
	'error' in json && Object.keys(json).every((key) => key === 'error' || key === 'details');

/**
 * The results of a KeyPilot operation, read as the output convention puts them: each item is its
 * input item with the result added under the resource's name. Fails when an item lost or changed
 * what came in; error items are returned as they are.
 */
export function resultsOf(
	output: INodeExecutionData[],
	resource: string,
	input: INodeExecutionData[] = [{ json: {} }],
): IDataObject[] {
	return output.map((item) => {
		if (isErrorItem(item.json)) return item.json;
		const { [resource]: result, ...kept } = item.json;
		const paired = Array.isArray(item.pairedItem) ? item.pairedItem : [item.pairedItem];
		const from = paired.length === 1 ? (paired[0] as { item: number } | undefined) : undefined;
		const expected = from ? (input[from.item] ?? input[0]).json : {};
		const { [resource]: _replaced, ...expectedKept } = expected;
		if (JSON.stringify(kept) !== JSON.stringify(expectedKept)) {
			throw new Error(
				`The output item does not keep its input: ${JSON.stringify(kept)} instead of ${JSON.stringify(expectedKept)}`,
			);
		}
		if (result === null || typeof result !== 'object') {
			throw new Error(`The output item has no "${resource}" result: ${JSON.stringify(item.json)}`);
		}
		return result as IDataObject;
	});
}

/** One output item's result under the convention (an error item as it is), for ledger tests. */
export function resultOf(json: IDataObject, resource: string): IDataObject {
	if (isErrorItem(json)) return json;
	const result = json[resource];
	if (result === null || typeof result !== 'object') {
		throw new Error(`The output item has no "${resource}" result: ${JSON.stringify(json)}`);
	}
	return result as IDataObject;
}
