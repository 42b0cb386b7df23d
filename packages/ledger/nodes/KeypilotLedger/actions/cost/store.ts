import { COSTS, costRow, type CostProvider } from '../../../../core/costs';
import { genaiPricesLookup } from '../../../pricing/prices';
import { storeOperation } from '../store';

export const operation = storeOperation<CostProvider>({
	resource: 'cost',
	name: 'Store',
	action: 'Store billed costs',
	description: "Write a provider's daily or monthly costs as one row shape (llm_costs)",
	providers: [
		{
			name: 'Claude Admin: Analytics Cost by API Key',
			value: 'anthropic_analytics',
			from: 'analytics',
			description:
				"Anthropic's billed cost per key and day (Analytics, Get Cost, 1-day buckets, grouped by API key): the per-key cost Reconcile compares",
		},
		{
			name: 'Claude Admin: Cost Report (Legacy)',
			value: 'anthropic',
			from: 'costReport',
			description: 'Daily cost by workspace and description',
		},
		{
			name: 'Claude Admin: Usage Report by API Key and Model (Legacy)',
			value: 'anthropic_usage',
			from: 'usageReport',
			description:
				'Daily tokens per key and model priced by genai-prices, for days before 2026 (Reconcile prefers billed cost by key where it has it)',
		},
		{
			name: 'OpenAI Admin: Cost',
			value: 'openai',
			from: 'cost',
			description: 'Daily cost by project, line item and API key',
		},
		{
			name: 'Volcengine: Bill Overview or Details',
			value: 'volcengine',
			from: 'billing',
			description: 'Monthly bill by product, or daily bill details (GroupPeriod 1)',
		},
	],
	spec: () => COSTS,
	rows: (provider, item) => [costRow(provider, item, genaiPricesLookup)],
});
