import { perItem, type Resource } from '../../../../common/operation';
import * as activate from './activate';
import * as deactivate from './deactivate';
import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';
import * as update from './update';
import * as upload from './upload';

export const resource: Resource = {
	option: { name: 'Certificate', value: 'certificate' },
	default: 'getAll',
	operations: [
		perItem(
			{
				name: 'Activate',
				value: 'activate',
				action: 'Activate certificates',
				description: 'Activate up to 10 uploaded certificates for the organization or a project',
			},
			activate,
		),
		perItem(
			{
				name: 'Deactivate',
				value: 'deactivate',
				action: 'Deactivate certificates',
				description: 'Deactivate up to 10 certificates for the organization or a project',
			},
			deactivate,
		),
		perItem(
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a certificate',
				description: 'Delete a certificate that is inactive everywhere',
			},
			del,
		),
		perItem({ name: 'Get', value: 'get', action: 'Get a certificate' }, get),
		perItem(
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many certificates',
				description: 'List the certificates of the organization or of a project',
			},
			getAll,
		),
		perItem(
			{
				name: 'Update',
				value: 'update',
				action: 'Rename a certificate',
				description: 'Only the name of a certificate can change',
			},
			update,
		),
		perItem(
			{
				name: 'Upload',
				value: 'upload',
				action: 'Upload a certificate',
				description: 'Upload a certificate to the organization; it stays inactive until activated',
			},
			upload,
		),
	],
};
