import type { Operation } from '../../../common/operation';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	parseModelPattern,
	parseQuotaAmount,
	parseQuotaPeriod,
	parseQuotaType,
	parseWarningPercent,
	setQuota,
	type QuotaPeriod,
	type QuotaSubject,
	type QuotaType,
} from '../../../core/quota';
import { quotaOutput, readInput, readSubject, showFor } from './common';
import { perQuotaItem } from './write';

interface SetInput {
	subject: QuotaSubject;
	type: QuotaType;
	limit: string;
	period: QuotaPeriod;
	warningPercent: string | null;
	models: string;
}

const here = showFor(['set', 'validateSettings']);

export const operation: Operation<SetInput> = {
	option: {
		name: 'Set Quota',
		value: 'set',
		action: 'Set a quota',
		description: 'Create or change the limit, type, period and warning threshold',
	},
	description: [
		{
			displayName: 'Quota Type',
			name: 'quotaType',
			type: 'options',
			options: [
				{ name: 'Tokens', value: 'tokens' },
				{ name: 'Cost (USD)', value: 'usd' },
			],
			default: 'tokens',
			displayOptions: here,
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'string',
			default: '',
			required: true,
			placeholder: '1000000',
			description:
				'Whole tokens, or USD as an exact decimal such as 25.50. 0 means unlimited. Can be raised or lowered at any time.',
			displayOptions: here,
		},
		{
			displayName: 'Period',
			name: 'period',
			type: 'options',
			options: [
				{ name: 'None', value: 'none', description: 'Usage never starts again by itself' },
				{ name: 'Daily', value: 'daily', description: 'Starts again at 00:00 UTC' },
				{ name: 'Weekly', value: 'weekly', description: 'Starts again on Monday 00:00 UTC' },
				{ name: 'Monthly', value: 'monthly', description: 'Starts again on the 1st, 00:00 UTC' },
			],
			default: 'none',
			displayOptions: here,
		},
		{
			displayName: 'Warning Threshold (%)',
			name: 'warningPercent',
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0, maxValue: 100 },
			description:
				'Flag the request that takes usage across this share of the limit (warning: true), for alert nodes. 0 means no warning.',
			displayOptions: here,
		},
		{
			displayName: 'For Models',
			name: 'models',
			type: 'string',
			default: '',
			placeholder: 'claude-opus-*',
			description:
				"Only requests for models matching this pattern spend this quota ('*' stands for any characters); a subject may hold one quota per pattern beside its quota for all models. Empty: every model.",
			displayOptions: showFor(['set', 'reset', 'setRateLimit']),
		},
	],

	check(this: IExecuteFunctions, i: number): SetInput {
		return readInput(this.getNode(), i, () => ({
			subject: readSubject.call(this, i),
			...readSettings.call(this, i),
		}));
	},

	write: perQuotaItem(async (db, input) => {
		const row = await setQuota(db, input.subject, input);
		return {
			output: 0,
			quota: {
				...quotaOutput(input.subject, row),
				period: row.period,
				period_start: row.period_start?.toISOString(),
				warning_percent: row.warning_percent === null ? null : Number(row.warning_percent),
				models: row.models || null,
			},
		};
	}),
};

export const description: INodeProperties[] = operation.description;

/** Quota type, limit, period and warning threshold, each checked and named when wrong. */
export function readSettings(this: IExecuteFunctions, i: number): Omit<SetInput, 'subject'> {
	const type = parseQuotaType(this.getNodeParameter('quotaType', i));
	return {
		type,
		limit: parseQuotaAmount(type, this.getNodeParameter('limit', i, ''), 'Limit'),
		period: parseQuotaPeriod(this.getNodeParameter('period', i)),
		warningPercent: parseWarningPercent(this.getNodeParameter('warningPercent', i, 0)),
		models: parseModelPattern(this.getNodeParameter('models', i, '')),
	};
}
