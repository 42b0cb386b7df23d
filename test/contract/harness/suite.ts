/**
 * The contract suite every provider node runs: each operation the node offers, with every
 * parameter set its description allows, against the provider's definition. A request the
 * definition does not accept, a request no operation of the definition matches, an operation
 * that sends nothing, or a failure on an answer the definition allows, each fails the test.
 */
import type { ICredentialDataDecryptedObject, ICredentialType, INodeType } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { capture } from './capture';
import type { CapturedRequest, RequestVerdict } from './openapi';
import { coverageLine, label, type OperationRun } from './report';
import { offeredOperations, variants, type Samples } from './variants';

export interface Judge {
	check(request: CapturedRequest): RequestVerdict;
	mockResponse(operationId: string): unknown;
	responseErrors(operationId: string, body: unknown, status?: number): string[];
}

export interface SuiteOptions {
	title: string;
	node: INodeType;
	credentialType: ICredentialType;
	credentials: ICredentialDataDecryptedObject;
	baseUrl: string;
	judge: () => Judge;
	samples: Samples;
	/** Answers by operation id where the generated example would not do (each is checked too). */
	fixtures?: Record<string, unknown>;
	/** Turns a captured request into the form the definition describes, if it needs one. */
	normalize?: (request: CapturedRequest) => CapturedRequest;
	/** Printed after the coverage line, from every matched operation id. */
	summary?: (matched: Set<string>) => string[];
}

export function contractSuite(options: SuiteOptions): void {
	const offered = offeredOperations(options.node.description);
	const runs: OperationRun[] = [];
	const fixtures = options.fixtures ?? {};
	const normalize = options.normalize ?? ((request: CapturedRequest) => request);

	afterAll(() => {
		if (runs.length === 0) return;
		const matched = new Set(runs.flatMap((run) => run.matched));
		console.log(
			[coverageLine(options.title, runs, offered), ...(options.summary?.(matched) ?? [])].join(
				'\n',
			),
		);
	});

	describe(`${options.title} against the provider's definition`, () => {
		it('offers operations', () => expect(offered.length).toBeGreaterThan(0));

		if (Object.keys(fixtures).length > 0)
			it.each(Object.keys(fixtures))('fixture for %s matches the response schema', (id) => {
				expect(options.judge().responseErrors(id, fixtures[id])).toEqual([]);
			});

		it.each(offered.map((target) => [label(target), target] as const))(
			'%s',
			async (_name, target) => {
				const judge = options.judge();
				let sent = 0;
				for (const parameters of variants(options.node.description, target, options.samples)) {
					const result = await capture(
						{
							nodeType: options.node,
							credentialType: options.credentialType,
							credentials: options.credentials,
							baseUrl: options.baseUrl,
							respond: (request) => {
								const id = judge.check(normalize(request)).operationId;
								return id
									? { status: 200, body: fixtures[id] ?? judge.mockResponse(id) }
									: { status: 404, body: { error: { message: 'not in the definition' } } };
							},
						},
						parameters,
					);
					// A parameter set the node refuses before sending anything is input checking at work.
					if (result.requests.length === 0 && result.error instanceof NodeOperationError) continue;
					sent += 1;
					const run: OperationRun = {
						target,
						parameters,
						requests: result.requests,
						problems: [],
						matched: [],
					};
					for (const request of result.requests) {
						const verdict = judge.check(normalize(request));
						if (verdict.operationId) run.matched.push(verdict.operationId);
						for (const error of verdict.errors)
							run.problems.push(`${request.method} ${request.url}: ${error}`);
					}
					if (result.error)
						run.problems.push(`failed on an answer the definition allows: ${result.error.message}`);
					runs.push(run);
					expect({ parameters, problems: run.problems }).toEqual({ parameters, problems: [] });
				}
				expect(sent).toBeGreaterThan(0);
			},
		);
	});
}
