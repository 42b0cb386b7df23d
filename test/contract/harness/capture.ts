/**
 * Runs one node operation with nock standing in for the provider: every request that leaves
 * the process is recorded as sent (method, path, query, JSON body) and answered by `respond`.
 */
import nock from 'nock';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	INodeType,
} from 'n8n-workflow';

import { createExecuteContext } from '../../helpers/executeContext';
import type { CapturedRequest } from './openapi';

export type Responder = (request: CapturedRequest) => { status: number; body: unknown };

export interface CaptureOptions {
	nodeType: INodeType;
	credentialType: ICredentialType;
	credentials: ICredentialDataDecryptedObject;
	/** The API's base URL as the credential sets it; captured paths are relative to it. */
	baseUrl: string;
	respond: Responder;
}

export async function capture(
	options: CaptureOptions,
	parameters: IDataObject,
): Promise<{ requests: CapturedRequest[]; error?: Error }> {
	const base = new URL(options.baseUrl);
	const prefix = base.pathname.replace(/\/+$/, '');
	const requests: CapturedRequest[] = [];
	const scope = nock(base.origin).persist();
	for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])
		scope
			.intercept(() => true, method)
			.reply(function (uri, body) {
				const text = typeof body === 'string' ? body : JSON.stringify(body);
				const request: CapturedRequest = {
					method,
					url: uri.startsWith(prefix) ? uri.slice(prefix.length) : uri,
					...(text ? { body: JSON.parse(text) as unknown } : {}),
				};
				requests.push(request);
				const answer = options.respond(request);
				return [answer.status, answer.body as nock.Body];
			});
	try {
		const context = createExecuteContext({
			nodeType: options.nodeType,
			credentialType: options.credentialType,
			credentials: options.credentials,
			parameters,
		});
		await options.nodeType.execute!.call(context);
		return { requests };
	} catch (error) {
		return { requests, error: error as Error };
	} finally {
		nock.removeInterceptor({ hostname: base.hostname, proto: base.protocol.slice(0, -1) } as never);
		nock.cleanAll();
	}
}
