import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { signOutgoingRequest, type OutgoingRequest } from '../core/volcengineAuth';

export class VolcengineApi implements ICredentialType {
	name = 'volcengineApi';

	displayName = 'Volcengine API';

	icon: Icon = {
		light: 'file:../nodes/Volcengine/volcengine.svg',
		dark: 'file:../nodes/Volcengine/volcengine.dark.svg',
	};

	documentationUrl = 'https://www.volcengine.com/docs/6369/67269';

	httpRequestNode: ICredentialType['httpRequestNode'] = {
		name: 'Volcengine',
		docsUrl: 'https://www.volcengine.com/docs/6369/67269',
		apiBaseUrlPlaceholder:
			'https://open.volcengineapi.com/?Action=ListAccessKeys&Version=2018-01-01',
	};

	properties: INodeProperties[] = [
		{
			displayName: 'Key Format',
			name: 'keyFormat',
			type: 'options',
			options: [
				{ name: 'Separate Fields', value: 'separate' },
				{ name: 'One Field (access_key_id:secret_access_key)', value: 'pair' },
			],
			default: 'separate',
		},
		{
			displayName: 'Access Key ID',
			name: 'accessKeyId',
			type: 'string',
			default: '',
			placeholder: 'AKLT...',
			displayOptions: { show: { keyFormat: ['separate'] } },
		},
		{
			displayName: 'Secret Access Key',
			name: 'secretAccessKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { keyFormat: ['separate'] } },
		},
		{
			displayName: 'Access Key Pair',
			name: 'secretKeyPair',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'AKLT...:secret',
			description: 'The Access Key ID and the Secret Access Key joined by a colon',
			displayOptions: { show: { keyFormat: ['pair'] } },
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'string',
			required: true,
			default: 'cn-north-1',
			description:
				'Region to sign regional services for (cn-beijing, cn-shanghai, ...). IAM and billing are always signed for cn-north-1, as Volcengine requires.',
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only for temporary STS credentials; sent as X-Security-Token',
		},
		{
			displayName: 'Endpoint',
			name: 'endpoint',
			type: 'string',
			default: 'https://open.volcengineapi.com',
			description:
				'The OpenAPI endpoint the Volcengine node calls. The HTTP Request node may call any Volcengine host with this credential: the service is read from a host such as iam.volcengineapi.com, or from an X-Volcengine-Service header.',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return signOutgoingRequest(
			credentials,
			requestOptions as unknown as OutgoingRequest,
		) as unknown as IHttpRequestOptions;
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.endpoint}}',
			url: '/',
			qs: { Action: 'ListAccessKeys', Version: '2018-01-01' },
			headers: { 'X-Volcengine-Service': 'iam' },
		},
	};
}
