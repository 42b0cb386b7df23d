import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperations, type OperationMap } from '../../shared/router';
import * as adminApiKey from './adminApiKey';
import * as auditLog from './auditLog';
import * as cost from './cost';
import * as project from './project';
import * as projectApiKey from './projectApiKey';
import * as projectRateLimit from './projectRateLimit';
import * as projectUser from './projectUser';
import * as serviceAccount from './serviceAccount';
import * as usage from './usage';

const operations: OperationMap = {
	adminApiKey: adminApiKey.operations,
	auditLog: auditLog.operations,
	cost: cost.operations,
	project: project.operations,
	projectApiKey: projectApiKey.operations,
	projectRateLimit: projectRateLimit.operations,
	projectUser: projectUser.operations,
	serviceAccount: serviceAccount.operations,
	usage: usage.operations,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperations.call(this, operations);
}
