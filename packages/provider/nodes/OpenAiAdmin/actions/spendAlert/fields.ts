import type { EndpointField, EndpointSpec } from '../endpoint';

/** What an alert is made of, the same for Create and Update (the API replaces the whole alert). */
export const alertFields: EndpointField[] = [
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
];

/** The only currency, interval and channel the definition allows today. */
export const alertConstants: EndpointSpec['constants'] = {
	'body.currency': 'USD',
	'body.interval': 'month',
	'body.notification_channel.type': 'email',
};
