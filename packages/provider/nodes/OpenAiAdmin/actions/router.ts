import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperations, type OperationMap } from '../../../common/router';
import * as adminApiKey from './adminApiKey';
import * as auditLog from './auditLog';
import * as certificate from './certificate';
import * as cost from './cost';
import * as dataRetention from './dataRetention';
import * as group from './group';
import * as groupRole from './groupRole';
import * as groupUser from './groupUser';
import * as invite from './invite';
import * as project from './project';
import * as projectApiKey from './projectApiKey';
import * as projectGroup from './projectGroup';
import * as projectPermission from './projectPermission';
import * as projectRateLimit from './projectRateLimit';
import * as projectUser from './projectUser';
import * as role from './role';
import * as serviceAccount from './serviceAccount';
import * as spendAlert from './spendAlert';
import * as spendLimit from './spendLimit';
import * as usage from './usage';
import * as user from './user';
import * as userRole from './userRole';

const operations: OperationMap = {
	adminApiKey: adminApiKey.operations,
	auditLog: auditLog.operations,
	certificate: certificate.operations,
	cost: cost.operations,
	dataRetention: dataRetention.operations,
	group: group.operations,
	groupRole: groupRole.operations,
	groupUser: groupUser.operations,
	invite: invite.operations,
	project: project.operations,
	projectApiKey: projectApiKey.operations,
	projectGroup: projectGroup.operations,
	projectPermission: projectPermission.operations,
	projectRateLimit: projectRateLimit.operations,
	projectUser: projectUser.operations,
	role: role.operations,
	serviceAccount: serviceAccount.operations,
	spendAlert: spendAlert.operations,
	spendLimit: spendLimit.operations,
	usage: usage.operations,
	user: user.operations,
	userRole: userRole.operations,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperations.call(this, operations);
}
