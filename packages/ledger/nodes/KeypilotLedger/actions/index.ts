import type { INodeProperties } from 'n8n-workflow';

import * as storeKeys from './apiKey/store';
import * as recordCreated from './apiKey/recordCreated';
import * as storeBalances from './balance/store';
import * as storeCosts from './cost/store';
import * as getStatus from './database/getStatus';
import * as setUp from './database/setUp';
import * as authenticate from './gatewayToken/authenticate';
import * as mint from './gatewayToken/mint';
import * as confirmDelivery from './keyRotation/confirmDelivery';
import * as findLostKeys from './keyRotation/findLostKeys';
import * as markRevoked from './keyRotation/markRevoked';
import * as planRotations from './keyRotation/plan';
import * as recordNewKey from './keyRotation/recordNewKey';
import type { LedgerOperation } from './operation';
import * as compareLimit from './providerLimit/compare';
import * as mirrorQuota from './providerLimit/mirror';
import * as planMirrors from './providerLimit/plan';
import * as reconcile from './reconciliation/reconcile';
import * as storeSnapshots from './usageSnapshot/store';

const RESOURCES: Array<{
	name: string;
	value: string;
	operations: Array<LedgerOperation<unknown>>;
	default: string;
}> = [
	{
		name: 'API Key',
		value: 'apiKey',
		operations: [recordCreated.operation, storeKeys.operation] as Array<LedgerOperation<unknown>>,
		default: 'store',
	},
	{
		name: 'Balance',
		value: 'balance',
		operations: [storeBalances.operation] as Array<LedgerOperation<unknown>>,
		default: 'store',
	},
	{
		name: 'Cost',
		value: 'cost',
		operations: [storeCosts.operation] as Array<LedgerOperation<unknown>>,
		default: 'store',
	},
	{
		name: 'Database',
		value: 'database',
		operations: [getStatus.operation, setUp.operation] as Array<LedgerOperation<unknown>>,
		default: 'setUp',
	},
	{
		name: 'Gateway Token',
		value: 'gatewayToken',
		operations: [authenticate.operation, mint.operation] as Array<LedgerOperation<unknown>>,
		default: 'authenticate',
	},
	{
		name: 'Key Rotation',
		value: 'keyRotation',
		operations: [
			planRotations.operation,
			recordNewKey.operation,
			confirmDelivery.operation,
			findLostKeys.operation,
			markRevoked.operation,
		] as Array<LedgerOperation<unknown>>,
		default: 'plan',
	},
	{
		name: 'Provider Limit',
		value: 'providerLimit',
		operations: [mirrorQuota.operation, planMirrors.operation, compareLimit.operation] as Array<
			LedgerOperation<unknown>
		>,
		default: 'plan',
	},
	{
		name: 'Reconciliation',
		value: 'reconciliation',
		operations: [reconcile.operation] as Array<LedgerOperation<unknown>>,
		default: 'reconcile',
	},
	{
		name: 'Usage Snapshot',
		value: 'usageSnapshot',
		operations: [storeSnapshots.operation] as Array<LedgerOperation<unknown>>,
		default: 'store',
	},
];

export const operations: Record<
	string,
	Record<string, LedgerOperation<unknown>>
> = Object.fromEntries(
	RESOURCES.map((resource) => [
		resource.value,
		Object.fromEntries(
			resource.operations.map((operation) => [operation.option.value as string, operation]),
		),
	]),
);

export const description: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: RESOURCES.map(({ name, value }) => ({ name, value })),
		default: 'cost',
	},
	...RESOURCES.map(
		// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- each resource's own default
		(resource): INodeProperties => ({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource.value] } },
			options: resource.operations.map((operation) => operation.option),
			default: resource.default,
		}),
	),
	...RESOURCES.flatMap((resource) =>
		resource.operations.flatMap((operation) => operation.description),
	),
];
