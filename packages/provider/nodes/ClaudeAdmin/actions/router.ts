import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperations, type OperationMap } from '../../../common/router';
import * as apiKey from './apiKey';
import * as claudeCode from './claudeCode';
import * as costReport from './costReport';
import * as invite from './invite';
import * as usageReport from './usageReport';
import * as user from './user';
import * as workspace from './workspace';
import * as workspaceMember from './workspaceMember';

const operations: OperationMap = {
	apiKey: apiKey.operations,
	claudeCode: claudeCode.operations,
	costReport: costReport.operations,
	invite: invite.operations,
	usageReport: usageReport.operations,
	user: user.operations,
	workspace: workspace.operations,
	workspaceMember: workspaceMember.operations,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperations.call(this, operations);
}
