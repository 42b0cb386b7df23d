import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

export const rotationIdField = (
	displayOptions: INodeProperties['displayOptions'],
): INodeProperties => ({
	displayName: 'Rotation ID',
	name: 'rotationId',
	type: 'string',
	default: '',
	required: true,
	description: 'The rotation_id of the step the Plan operation handed out',
	displayOptions,
});

export function readRotationId(this: IExecuteFunctions, itemIndex: number): string {
	return String(this.getNodeParameter('rotationId', itemIndex, '') ?? '').trim();
}
