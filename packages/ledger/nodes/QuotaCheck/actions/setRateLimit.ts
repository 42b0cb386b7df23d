import type { Operation } from '../../../common/operation';
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	parseModelPattern,
	parseQuotaAmount,
	QuotaInputError,
	setRateLimit,
	type QuotaSubject,
	type RateLimitKind,
} from '../../../core/quota';
import { readInput, readSubject, showFor } from './common';
import { perQuotaItem } from './write';

interface SetRateLimitInput {
	subject: QuotaSubject;
	kind: RateLimitKind;
	limit: string;
	models: string;
}

const here = showFor(['setRateLimit']);
const KINDS: RateLimitKind[] = ['requests_per_minute', 'tokens_per_minute', 'concurrent'];

export const operation: Operation<SetRateLimitInput> = {
	option: {
		name: 'Set Rate Limit',
		value: 'setRateLimit',
		action: 'Set a rate or concurrency limit',
		description:
			'Requests per minute, tokens per minute or requests in flight, held in the same statement as the budgets',
	},
	description: [
		{
			displayName: 'Rate Limit',
			name: 'rateLimitKind',
			type: 'options',
			options: [
				{
					name: 'Requests in Flight',
					value: 'concurrent',
					description: 'How many requests may run at once',
				},
				{ name: 'Requests per Minute', value: 'requests_per_minute' },
				{
					name: 'Tokens per Minute',
					value: 'tokens_per_minute',
					description:
						"Counted on each request's reserved bound, corrected to the provider's count when it settles",
				},
			],
			default: 'requests_per_minute',
			displayOptions: here,
		},
		{
			displayName: 'Limit',
			name: 'rateLimit',
			type: 'string',
			default: '',
			required: true,
			placeholder: '60',
			description: 'A whole number. 0 removes the limit.',
			displayOptions: here,
		},
	],

	check(this: IExecuteFunctions, i: number) {
		return readInput(this.getNode(), i, () => {
			const kind = this.getNodeParameter('rateLimitKind', i) as RateLimitKind;
			if (!KINDS.includes(kind)) {
				throw new QuotaInputError(
					'Rate Limit',
					`"Rate Limit" must be one of ${KINDS.join(', ')}, got ${JSON.stringify(kind)}`,
				);
			}
			return {
				subject: readSubject.call(this, i),
				kind,
				limit: parseQuotaAmount('tokens', this.getNodeParameter('rateLimit', i, ''), 'Limit'),
				models: parseModelPattern(this.getNodeParameter('models', i, '')),
			};
		});
	},

	write: perQuotaItem(async (db, input) => {
		const row = await setRateLimit(db, input.subject, input);
		return {
			output: 0,
			quota: {
				subject_type: input.subject.type,
				subject_id: input.subject.id,
				kind: input.kind,
				limit: row ? Number(row.limit_amount) : null,
				models: input.models || null,
				removed: row === undefined,
			},
		};
	}),
};
