import type { IDataObject } from 'n8n-workflow';

import type { CapturedRequest } from './openapi';
import type { OfferedOperation } from './variants';

/** One offered operation's run: the parameter set, what it sent, and what was wrong with it. */
export interface OperationRun {
	target: OfferedOperation;
	parameters: IDataObject;
	requests: CapturedRequest[];
	problems: string[];
	/** The definition's operations the requests matched. */
	matched: string[];
}

export function label({ resource, operation }: OfferedOperation): string {
	return `${resource}:${operation}`;
}

/** "OpenAI Admin contract: 98/98 operations covered (100.0%)", printed by each contract test. */
export function coverageLine(node: string, runs: OperationRun[], offered: OfferedOperation[]) {
	const covered = new Set(
		runs
			.filter((run) => run.matched.length > 0 && run.problems.length === 0)
			.map((run) => label(run.target)),
	);
	const count = offered.filter((target) => covered.has(label(target))).length;
	const percent = ((100 * count) / Math.max(offered.length, 1)).toFixed(1);
	return `${node} contract: ${count}/${offered.length} operations covered (${percent}%)`;
}
