import { SNAPSHOTS, snapshotRow, type SnapshotProvider } from '../../../../core/snapshots';
import { storeOperation } from '../store';

export const operation = storeOperation<SnapshotProvider>({
	resource: 'usageSnapshot',
	name: 'Store',
	action: 'Store key usage snapshots',
	description: "Write each key's usage as the provider reports it (llm_api_key_usage)",
	providers: [
		{
			name: 'Claude Admin: Usage Report by API Key',
			value: 'anthropic',
			from: 'usageReport',
			description: 'Usage Report → Get, grouped by api_key_id; models are summed',
		},
		{
			name: 'OpenRouter: Keys',
			value: 'openrouter',
			from: 'key',
			description: 'Key → Get Many: usage and limit, one snapshot per key and hour',
		},
	],
	spec: () => SNAPSHOTS,
	rows: (provider, item) => [snapshotRow(provider, item, new Date())],
});
