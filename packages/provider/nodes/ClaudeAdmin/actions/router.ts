import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { operationMap, type Resource } from '../../../common/operation';
import { routeOperations } from '../../../common/router';
import * as analytics from './analytics';
import * as apiKey from './apiKey';
import * as claudeCode from './claudeCode';
import * as costReport from './costReport';
import * as invite from './invite';
import * as rateLimit from './rateLimit';
import * as spendLimit from './spendLimit';
import * as spendLimitIncreaseRequest from './spendLimitIncreaseRequest';
import * as usageReport from './usageReport';
import * as user from './user';
import * as workspace from './workspace';
import * as workspaceMember from './workspaceMember';

/** The node's resources, in the order of its Resource list. */
export const RESOURCES: Resource[] = [
	analytics.resource,
	apiKey.resource,
	claudeCode.resource,
	costReport.resource,
	invite.resource,
	rateLimit.resource,
	spendLimit.resource,
	spendLimitIncreaseRequest.resource,
	usageReport.resource,
	user.resource,
	workspace.resource,
	workspaceMember.resource,
];

const operations = operationMap(RESOURCES);

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperations.call(this, operations);
}
