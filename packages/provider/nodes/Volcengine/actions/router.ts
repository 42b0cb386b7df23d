import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperations, type OperationMap } from '../../../common/router';
import * as accessKey from './accessKey';
import * as apiKey from './apiKey';
import * as billing from './billing';
import * as customAction from './customAction';

const operations: OperationMap = {
	accessKey: accessKey.operations,
	apiKey: apiKey.operations,
	billing: billing.operations,
	customAction: customAction.operations,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperations.call(this, operations);
}
