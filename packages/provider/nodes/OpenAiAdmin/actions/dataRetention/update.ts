import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('dataRetention', 'update', {
	method: 'POST',
	path: '/data_retention',
	scoped: true,
	fields: [
		{
			type: 'options',
			name: 'retentionType',
			label: 'Retention Type',
			to: 'body.retention_type',
			values: [
				['zero_data_retention', 'Zero Data Retention'],
				['modified_abuse_monitoring', 'Modified Abuse Monitoring'],
				['enhanced_zero_data_retention', 'Enhanced Zero Data Retention'],
				['enhanced_modified_abuse_monitoring', 'Enhanced Modified Abuse Monitoring'],
			],
			default: 'zero_data_retention',
			scope: 'organization',
		},
		{
			type: 'options',
			name: 'projectRetentionType',
			label: 'Retention Type',
			to: 'body.retention_type',
			values: [
				['organization_default', 'Organization Default'],
				['none', 'None'],
				['zero_data_retention', 'Zero Data Retention'],
				['modified_abuse_monitoring', 'Modified Abuse Monitoring'],
				['enhanced_zero_data_retention', 'Enhanced Zero Data Retention'],
				['enhanced_modified_abuse_monitoring', 'Enhanced Modified Abuse Monitoring'],
			],
			default: 'organization_default',
			scope: 'project',
		},
	],
});
