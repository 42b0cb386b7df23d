import { describeResources, operationMap, type Resource } from '../../../common/operation';
import * as checkRequest from './apiKey/checkRequest';
import * as storeKeys from './apiKey/store';
import * as recordCreated from './apiKey/recordCreated';
import * as storeBalances from './balance/store';
import * as storeCosts from './cost/store';
import * as getStatus from './database/getStatus';
import * as setUp from './database/setUp';
import * as authenticate from './gatewayToken/authenticate';
import * as liftSuspension from './gatewayToken/liftSuspension';
import * as mint from './gatewayToken/mint';
import * as signLink from './gatewayToken/signLink';
import * as confirmDelivery from './keyRotation/confirmDelivery';
import * as findLostKeys from './keyRotation/findLostKeys';
import * as markRevoked from './keyRotation/markRevoked';
import * as planRotations from './keyRotation/plan';
import * as recordNewKey from './keyRotation/recordNewKey';
import * as compareLimit from './providerLimit/compare';
import * as mirrorQuota from './providerLimit/mirror';
import * as planMirrors from './providerLimit/plan';
import * as reconcile from './reconciliation/reconcile';
import * as storeSnapshots from './usageSnapshot/store';

const RESOURCES: Resource[] = [
	{
		option: { name: 'API Key', value: 'apiKey' },
		operations: [checkRequest.operation, recordCreated.operation, storeKeys.operation],
		default: 'store',
	},
	{
		option: { name: 'Balance', value: 'balance' },
		operations: [storeBalances.operation],
		default: 'store',
	},
	{
		option: { name: 'Cost', value: 'cost' },
		operations: [storeCosts.operation],
		default: 'store',
	},
	{
		option: { name: 'Database', value: 'database' },
		operations: [getStatus.operation, setUp.operation],
		default: 'setUp',
	},
	{
		option: { name: 'Gateway Token', value: 'gatewayToken' },
		operations: [
			authenticate.operation,
			liftSuspension.operation,
			mint.operation,
			signLink.operation,
		],
		default: 'authenticate',
	},
	{
		option: { name: 'Key Rotation', value: 'keyRotation' },
		operations: [
			planRotations.operation,
			recordNewKey.operation,
			confirmDelivery.operation,
			findLostKeys.operation,
			markRevoked.operation,
		],
		default: 'plan',
	},
	{
		option: { name: 'Provider Limit', value: 'providerLimit' },
		operations: [mirrorQuota.operation, planMirrors.operation, compareLimit.operation],
		default: 'plan',
	},
	{
		option: { name: 'Reconciliation', value: 'reconciliation' },
		operations: [reconcile.operation],
		default: 'reconcile',
	},
	{
		option: { name: 'Usage Snapshot', value: 'usageSnapshot' },
		operations: [storeSnapshots.operation],
		default: 'store',
	},
];

export const operations = operationMap(RESOURCES);

export const description = describeResources(RESOURCES, 'cost');
