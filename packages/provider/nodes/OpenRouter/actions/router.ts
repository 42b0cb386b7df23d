import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { operationMap, type Resource } from '../../../common/operation';
import { routeOperations } from '../../../common/router';
import * as activity from './activity';
import * as credits from './credits';
import * as currentKey from './currentKey';
import * as guardrail from './guardrail';
import * as key from './key';
import * as workspaceBudget from './workspaceBudget';

/** The node's resources, in the order of its Resource list. */
export const RESOURCES: Resource[] = [
	activity.resource,
	credits.resource,
	currentKey.resource,
	guardrail.resource,
	key.resource,
	workspaceBudget.resource,
];

const operations = operationMap(RESOURCES);

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperations.call(this, operations);
}
