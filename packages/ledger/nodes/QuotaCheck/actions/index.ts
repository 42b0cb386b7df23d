import type { INodeProperties } from 'n8n-workflow';

import * as check from './check';
import { noQuotaOption, subjectFields, type QuotaOperation } from './common';
import * as get from './get';
import * as getAlerts from './getAlerts';
import * as release from './release';
import * as reserve from './reserve';
import * as reserveChat from './reserveChat';
import * as reset from './reset';
import * as set from './set';
import * as settle from './settle';
import * as validateSettings from './validateSettings';

export const operations: Record<string, QuotaOperation<unknown>> = {
	check: check.operation as QuotaOperation<unknown>,
	get: get.operation as QuotaOperation<unknown>,
	getAlerts: getAlerts.operation as QuotaOperation<unknown>,
	release: release.operation as QuotaOperation<unknown>,
	reserve: reserve.operation as QuotaOperation<unknown>,
	reserveChat: reserveChat.operation as QuotaOperation<unknown>,
	reset: reset.operation as QuotaOperation<unknown>,
	set: set.operation as QuotaOperation<unknown>,
	settle: settle.operation as QuotaOperation<unknown>,
	validateSettings: validateSettings.operation as QuotaOperation<unknown>,
};

/** Operations that send each item to Allowed or Exhausted. */
export const ROUTING_OPERATIONS = ['reserve', 'reserveChat', 'check'];

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Check',
				value: 'check',
				action: 'Check whether a request fits the quota',
				description: 'Read-only: Allowed or Exhausted, nothing reserved',
			},
			{
				name: 'Check Quota Settings',
				value: 'validateSettings',
				action: 'Check quota settings without writing them',
				description:
					'Validate a quota type, limit, period and warning threshold before anything is created; writes nothing',
			},
			{
				name: 'Get Alerts',
				value: 'getAlerts',
				action: 'Get new quota alerts',
				description:
					'Quotas that crossed their warning threshold or limit this period, each once per period',
			},
			{ name: 'Get Quota', value: 'get', action: 'Get a quota' },
			{
				name: 'Release',
				value: 'release',
				action: 'Release a reservation',
				description: 'Give back a reservation whose request never reached the provider',
			},
			{
				name: 'Reserve',
				value: 'reserve',
				action: 'Reserve quota for a request',
				description:
					'Atomically hold the estimated amount if it fits: Allowed or Exhausted. Settle it after the call.',
			},
			{
				name: 'Reserve for Chat Request',
				value: 'reserveChat',
				action: 'Reserve quota for a chat request',
				description:
					'Hold a proven upper bound of an OpenAI-compatible chat request (prompt and output, in tokens or USD) and return the request to send, its output limit set',
			},
			{
				name: 'Reset',
				value: 'reset',
				action: 'Reset a quota',
				description: 'Usage starts again from zero',
			},
			{
				name: 'Set Quota',
				value: 'set',
				action: 'Set a quota',
				description: 'Create or change the limit, type, period and warning threshold',
			},
			{
				name: 'Settle',
				value: 'settle',
				action: 'Settle a reservation',
				description: 'Replace a reservation with the amount the request really used',
			},
		],
		default: 'reserve',
	},
	...subjectFields,
	...set.operation.description,
	...reserve.operation.description,
	...reserveChat.operation.description,
	...settle.operation.description,
	noQuotaOption,
];
