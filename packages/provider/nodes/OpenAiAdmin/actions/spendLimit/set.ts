import { endpoint, withThresholdUsd } from '../endpoint';

export const { description, execute } = endpoint('spendLimit', 'set', {
	method: 'POST',
	path: '/spend_limit',
	scoped: true,
	fields: [
		{
			type: 'usdCents',
			name: 'thresholdUsd',
			label: 'Limit (USD)',
			to: 'body.threshold_amount',
			required: true,
			description:
				'Hard monthly limit in US dollars, such as 500 or 99.50 (sent to OpenAI in cents)',
		},
	],
	constants: {
		'body.currency': 'USD',
		'body.interval': 'month',
	},
	output: withThresholdUsd,
});
