import type { Operation } from '../../../common/operation';
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	MAX_LAYER_DEPTH,
	PARENT_TYPE_OPTIONS,
	parseParent,
	QuotaInputError,
	setParent,
	type QuotaSubject,
} from '../../../core/quota';
import { readInput, readSubject, showFor } from './common';
import { perQuotaItem } from './write';

interface SetParentInput {
	subject: QuotaSubject;
	/** null: the subject leaves its parent. */
	parent: QuotaSubject | null;
}

const here = showFor(['setParent']);

export const operation: Operation<SetParentInput> = {
	option: {
		name: 'Set Parent',
		value: 'setParent',
		action: 'Put a subject inside a parent',
		description:
			"Layered budgets: a request of the subject also spends its parent's quotas (a token in a team, a team in an organization)",
	},
	description: [
		{
			displayName: 'Parent Type',
			name: 'parentType',
			type: 'options',
			options: PARENT_TYPE_OPTIONS,
			default: 'team',
			displayOptions: here,
		},
		{
			displayName: 'Parent',
			name: 'parent',
			type: 'string',
			default: '',
			placeholder: 'platform-team',
			description: 'The team, organization, project or account above the subject. Empty: none.',
			displayOptions: here,
		},
	],

	check(this: IExecuteFunctions, i: number) {
		return readInput(this.getNode(), i, () => {
			const subject = readSubject.call(this, i);
			const parent = parseParent(
				this.getNodeParameter('parentType', i),
				this.getNodeParameter('parent', i, ''),
			);
			return { subject, parent };
		});
	},

	write: perQuotaItem(async (db, { subject, parent }) => {
		const change = await setParent(db, subject, parent);
		if (change.reason) {
			throw new QuotaInputError(
				'Parent',
				change.reason === 'cycle'
					? `"Parent" ${parent!.type} "${parent!.id}" is ${subject.type} "${subject.id}" itself or inside it: a subject cannot be its own ancestor`
					: `"Parent" ${parent!.type} "${parent!.id}" would make the layers deeper than ${MAX_LAYER_DEPTH} levels`,
			);
		}
		return {
			output: 0,
			quota: {
				subject_type: change.subject_type,
				subject_id: change.subject_id,
				parent_type: parent?.type ?? null,
				parent_id: parent?.id ?? null,
				changed: change.changed,
			},
		};
	}),
};
