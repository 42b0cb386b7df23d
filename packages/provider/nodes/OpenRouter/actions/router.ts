import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperations, type OperationMap } from '../../../common/router';
import * as activity from './activity';
import * as credits from './credits';
import * as currentKey from './currentKey';
import * as key from './key';

const operations: OperationMap = {
	activity: activity.operations,
	credits: credits.operations,
	currentKey: currentKey.operations,
	key: key.operations,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperations.call(this, operations);
}
