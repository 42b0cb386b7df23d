/**
 * Collects every answer a unit test's nock fixtures gave the node, then judges the successful
 * JSON ones against the provider's definition: fixtures written by hand must look like the real
 * API. Tests that serve a malformed answer on purpose are named, and only they are skipped.
 */
import { OpenApiContract, type CapturedRequest } from './openapi';

interface Served {
	test: string;
	method: string;
	url: string;
	status: number;
	body: string;
}

export function servedFixtures(options: {
	/** The provider's definition file in ../shared/specs, or a loader for one written as data. */
	specFile: string | (() => Promise<OpenApiContract>);
	/** The part of the node's base URL that the definition's paths do not include. */
	basePath: string;
	/** Turns a request into the form the definition describes, if it needs one. */
	normalize?: (request: CapturedRequest) => CapturedRequest;
	/** Names (or name fragments) of tests whose fixtures are malformed on purpose. */
	malformedOnPurpose: string[];
	/** Names of tests that call operations the definition does not describe (a custom action). */
	outsideDefinition?: string[];
}) {
	const served: Served[] = [];
	return {
		record(exchange: Omit<Served, 'test'>) {
			served.push({ ...exchange, test: expect.getState().currentTestName ?? '' });
		},
		async problems(): Promise<{ judged: number; problems: string[] }> {
			const contract =
				typeof options.specFile === 'string'
					? await OpenApiContract.load(options.specFile)
					: await options.specFile();
			const problems: string[] = [];
			let judged = 0;
			for (const answer of served) {
				if (answer.status >= 300) continue;
				if (options.malformedOnPurpose.some((name) => answer.test.includes(name))) continue;
				const url = new URL(answer.url);
				const asSent = {
					method: answer.method,
					url: url.pathname.replace(options.basePath, '') + url.search,
				};
				const relative = (options.normalize ?? ((request: CapturedRequest) => request))(asSent).url;
				const { operationId } = contract.check({ method: answer.method, url: relative });
				if (!operationId) {
					if (options.outsideDefinition?.some((name) => answer.test.includes(name))) continue;
					problems.push(`${answer.test}: ${answer.method} ${relative} is not in the definition`);
					continue;
				}
				judged += 1;
				const errors = contract.responseErrors(operationId, JSON.parse(answer.body), answer.status);
				problems.push(...errors.map((error) => `${answer.test}: ${relative}: ${error}`));
			}
			return { judged, problems };
		},
	};
}
