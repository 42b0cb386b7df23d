import { endpoint, withThresholdUsd } from '../endpoint';

export const { description, execute } = endpoint('spendAlert', 'update', {
	method: 'POST',
	path: '/spend_alerts/{alertId}',
	scoped: true,
	fields: [
		{
			type: 'usdCents',
			name: 'thresholdUsd',
			label: 'Threshold (USD)',
			to: 'body.threshold_amount',
			required: true,
			description:
				'Monthly spend in US dollars at which the alert emails, such as 250 or 99.50 (sent to OpenAI in cents)',
		},
		{
			type: 'list',
			name: 'recipients',
			label: 'Recipients',
			to: 'body.notification_channel.recipients',
			required: true,
			description: 'Comma-separated email addresses that receive the alert',
		},
		{
			type: 'string',
			name: 'subjectPrefix',
			label: 'Subject Prefix',
			to: 'body.notification_channel.subject_prefix',
			description: 'Text put before the subject of each alert email',
		},
	],
	constants: {
		'body.currency': 'USD',
		'body.interval': 'month',
		'body.notification_channel.type': 'email',
	},
	output: withThresholdUsd,
});
