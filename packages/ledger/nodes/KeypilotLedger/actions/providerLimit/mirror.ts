import { LedgerInputError } from '../../../../core/fields';
import { type MirrorPolicy, mirrorQuota } from '../../../../core/limits/mirror';
import type { LimitTarget } from '../../../../core/limits/targets';
import { inTransaction } from '../../../../core/db';
import { show } from '../../../../common/fields';
import type { Operation } from '../../../../common/operation';
import { inLedger } from '../../../postgres/pool';
import { readTarget, readTargetId, targetField, targetIdField } from './fields';

const here = show('providerLimit', 'mirror');

interface Input {
	subjectType: string;
	subjectId: string;
	target: LimitTarget;
	targetId: string;
	policy: MirrorPolicy;
}

/** Declares that a quota is also to be held as the provider's own limit. */
export const operation: Operation<Input> = {
	option: {
		name: 'Mirror Quota',
		value: 'mirror',
		action: 'Mirror a quota to a provider limit',
		description: 'Have the provider enforce a quota too, for traffic that bypasses the gateway',
	},
	description: [
		{
			displayName: 'Subject Type',
			name: 'subjectType',
			type: 'string',
			default: 'key_id',
			description: 'Of the quota, as in Quota Check: key_id, key_hash, project …',
		},
		{
			displayName: 'Subject ID',
			name: 'subjectId',
			type: 'string',
			default: '',
			required: true,
		},
		targetField(here, 'Where the provider holds the limit'),
		targetIdField(here),
		{
			displayName: 'When Changed by Hand',
			name: 'policy',
			type: 'options',
			options: [
				{ name: 'Report and Set Ours Again', value: 'restore' },
				{ name: 'Report Only', value: 'report' },
			],
			default: 'restore',
			description: 'What the push-down does when someone changed the provider’s limit',
		},
	],
	check(itemIndex) {
		const subjectType = String(this.getNodeParameter('subjectType', itemIndex, '') ?? '').trim();
		const subjectId = String(this.getNodeParameter('subjectId', itemIndex, '') ?? '').trim();
		if (!subjectType)
			throw new LedgerInputError('Subject Type', 'a quota subject type', subjectType);
		if (!subjectId) throw new LedgerInputError('Subject ID', 'a quota subject', subjectId);
		const policy = this.getNodeParameter('policy', itemIndex, 'restore') as MirrorPolicy;
		if (policy !== 'restore' && policy !== 'report') {
			throw new LedgerInputError('When Changed by Hand', 'restore or report', policy);
		}
		return {
			subjectType,
			subjectId,
			target: readTarget(this.getNodeParameter('target', itemIndex)),
			targetId: readTargetId(this.getNodeParameter('targetId', itemIndex, '')),
			policy,
		};
	},
	write: inLedger(async function (db, inputs) {
		const output = [];
		for (const { item, input } of inputs) {
			const mirrored = await inTransaction(db, async () => await mirrorQuota(db, input));
			output.push({ json: { ...mirrored }, pairedItem: { item } });
		}
		return output;
	}),
};
