import type { IDataObject } from 'n8n-workflow';

import {
	CREATED_KEYS,
	createdKey,
	type CreatedKey,
	type CreatedKeyProvider,
} from '../../../../core/keys';
import { type Item, sourceResult, withoutSource } from '../../../../core/fields';
import { inTransaction } from '../../../../core/db';
import { upsertRows } from '../../../../core/upsert';
import { show } from '../../../../common/fields';
import type { Operation } from '../../../../common/operation';
import { inLedger } from '../../../postgres/pool';

const here = show('apiKey', 'recordCreated');

/** Where each source node puts the created key: its resource's name. */
const FROM: Record<CreatedKeyProvider, string> = {
	openai: 'serviceAccount',
	openrouter: 'key',
	volcengine: 'accessKey',
};
const fromOf = (provider: unknown) => [FROM[provider as CreatedKeyProvider] ?? ''];

/**
 * Records a key just created at a provider: its ID, SHA-256 hash and redacted form. The secret is
 * hashed here and never written; it leaves the node once, in the output, for the caller to hand on.
 */
export const operation: Operation<CreatedKey> = {
	option: {
		name: 'Record Created Key',
		value: 'recordCreated',
		action: 'Record a created key',
		description: 'Store a new key by hash and redacted form; outputs its secret once',
	},
	description: [
		{
			displayName: 'Source',
			name: 'provider',
			type: 'options',
			options: [
				{
					name: 'OpenAI Admin: Service Account → Create',
					value: 'openai',
					description: 'The service account and its project API key',
				},
				{ name: 'OpenRouter: Key → Create', value: 'openrouter' },
				{ name: 'Volcengine: Access Key → Create', value: 'volcengine' },
			],
			default: 'openai',
			description: 'Which node and operation created the key',
		},
		{
			displayName: 'Project ID',
			name: 'projectId',
			type: 'string',
			default: '',
			description: 'The OpenAI project the key belongs to',
			displayOptions: { show: { ...here.show, provider: ['openai'] } },
		},
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			default: '',
			description: 'Name to record; empty uses the name the provider returned',
		},
	],
	check(itemIndex) {
		const provider = this.getNodeParameter('provider', itemIndex) as CreatedKeyProvider;
		const projectId =
			provider === 'openai' ? (this.getNodeParameter('projectId', itemIndex, '') as string) : '';
		const name = this.getNodeParameter('name', itemIndex, '') as string;
		const created = sourceResult(this.getInputData()[itemIndex].json as Item, fromOf(provider));
		return createdKey(provider, created, { projectId, name });
	},
	// The provider's answer holds the secret; once recorded it leaves only in this node's result.
	kept(json, itemIndex) {
		const provider = this.getNodeParameter('provider', itemIndex);
		return withoutSource(json, fromOf(provider), 'all') as IDataObject;
	},
	write: inLedger(async function (db, inputs) {
		await inTransaction(db, async () => {
			await upsertRows(
				db,
				CREATED_KEYS,
				inputs.map(({ input }) => input.row),
			);
		});
		return inputs.map(({ item, input }) => {
			const { row, secret } = input;
			return {
				json: {
					provider: row.provider,
					key_id: row.key_id,
					name: row.name,
					redacted_value: row.redacted_value,
					key_hash: row.key_hash,
					project_id: row.project_id,
					owner_type: row.owner_type,
					owner_id: row.owner_id,
					secret,
				},
				pairedItem: { item },
			};
		});
	}),
};
