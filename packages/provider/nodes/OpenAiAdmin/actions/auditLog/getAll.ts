import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { csvList, dateSeconds, returnAllOrLimit } from '../../../../common/fields';
import { openAiList } from '../common';

export const description: INodeProperties[] = [
	...returnAllOrLimit('auditLog', 'getAll'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Actor Emails',
				name: 'actorEmails',
				type: 'string',
				default: '',
				description: 'Comma-separated emails of the users who acted',
			},
			{
				displayName: 'Actor IDs',
				name: 'actorIds',
				type: 'string',
				default: '',
				description: 'Comma-separated user, service account or API key IDs',
			},
			{
				displayName: 'Effective After',
				name: 'effectiveAfter',
				type: 'dateTime',
				default: '',
				description: 'Only events at or after this time',
			},
			{
				displayName: 'Effective Before',
				name: 'effectiveBefore',
				type: 'dateTime',
				default: '',
				description: 'Only events at or before this time',
			},
			{
				displayName: 'Event Types',
				name: 'eventTypes',
				type: 'string',
				default: '',
				placeholder: 'api_key.created, project.archived',
				description: 'Comma-separated event types',
			},
			{
				displayName: 'Project IDs',
				name: 'projectIds',
				type: 'string',
				default: '',
				description: 'Comma-separated project IDs',
			},
			{
				displayName: 'Resource IDs',
				name: 'resourceIds',
				type: 'string',
				default: '',
				description: 'Comma-separated IDs of the resources acted on',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
	return await openAiList.call(this, {
		method: 'GET',
		path: '/organization/audit_logs',
		query: {
			'effective_at[gte]': filters.effectiveAfter
				? dateSeconds.call(this, 'filters.effectiveAfter', 'Effective After', i)
				: undefined,
			'effective_at[lte]': filters.effectiveBefore
				? dateSeconds.call(this, 'filters.effectiveBefore', 'Effective Before', i)
				: undefined,
			// The definition names these parameters with their brackets, unlike the other lists.
			'project_ids[]': csvList(filters.projectIds),
			'event_types[]': csvList(filters.eventTypes),
			'actor_ids[]': csvList(filters.actorIds),
			'actor_emails[]': csvList(filters.actorEmails),
			'resource_ids[]': csvList(filters.resourceIds),
		},
		itemIndex: i,
	});
}
