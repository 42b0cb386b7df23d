import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { operationMap, type Resource } from '../../../common/operation';
import { routeOperations } from '../../../common/router';
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

/** The node's resources, in the order of its Resource list. */
export const RESOURCES: Resource[] = [
	adminApiKey.resource,
	auditLog.resource,
	certificate.resource,
	cost.resource,
	dataRetention.resource,
	group.resource,
	groupRole.resource,
	groupUser.resource,
	invite.resource,
	project.resource,
	projectApiKey.resource,
	projectGroup.resource,
	projectPermission.resource,
	projectRateLimit.resource,
	projectUser.resource,
	role.resource,
	serviceAccount.resource,
	spendAlert.resource,
	spendLimit.resource,
	usage.resource,
	user.resource,
	userRole.resource,
];

const operations = operationMap(RESOURCES);

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperations.call(this, operations);
}
