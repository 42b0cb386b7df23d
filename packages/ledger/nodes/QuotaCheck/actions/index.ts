import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../../common/operation';
import * as check from './check';
import { modelField, noQuotaOption, subjectFields } from './common';
import * as expireReservations from './expireReservations';
import * as get from './get';
import * as getAlerts from './getAlerts';
import * as release from './release';
import * as reserve from './reserve';
import * as reserveChat from './reserveChat';
import * as reset from './reset';
import * as set from './set';
import * as setParent from './setParent';
import * as setRateLimit from './setRateLimit';
import * as settle from './settle';
import * as validateSettings from './validateSettings';

/** In the order of the Operation list. */
export const OPERATIONS: Operation[] = [
	check.operation,
	validateSettings.operation,
	expireReservations.operation,
	getAlerts.operation,
	get.operation,
	release.operation,
	reserve.operation,
	reserveChat.operation,
	reset.operation,
	set.operation,
	setParent.operation,
	setRateLimit.operation,
	settle.operation,
];

export const operations: Record<string, Operation> = Object.fromEntries(
	OPERATIONS.map((entry) => [entry.option.value as string, entry]),
);

/** Operations that send each item to Allowed or Exhausted. */
export const ROUTING_OPERATIONS = ['reserve', 'reserveChat', 'check'];

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: OPERATIONS.map((entry) => entry.option),
		default: 'reserve',
	},
	...subjectFields,
	...set.operation.description,
	...setParent.operation.description,
	...setRateLimit.operation.description,
	modelField,
	...reserve.operation.description,
	...reserveChat.operation.description,
	...settle.operation.description,
	noQuotaOption,
];
