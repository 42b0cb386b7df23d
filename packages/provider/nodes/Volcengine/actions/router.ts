import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { operationMap, type Resource } from '../../../common/operation';
import { routeOperations } from '../../../common/router';
import * as accessKey from './accessKey';
import * as apiKey from './apiKey';
import * as billing from './billing';
import * as customAction from './customAction';

/** The node's resources, in the order of its Resource list. */
export const RESOURCES: Resource[] = [
	accessKey.resource,
	billing.resource,
	customAction.resource,
	apiKey.resource,
];

const operations = operationMap(RESOURCES);

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperations.call(this, operations);
}
