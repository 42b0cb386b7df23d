/**
 * The part of n8n's @n8n/ai-node-sdk this node uses. The SDK is a peer dependency: n8n ships it
 * (2.41.1: 0.31.1) and resolves it for community packages, so it is not installed with them.
 */
declare module '@n8n/ai-node-sdk' {
	import type { ISupplyDataFunctions, SupplyData } from 'n8n-workflow';

	/** Hands a chat model to the AI Agent (and n8n's other root nodes) through LangChain. */
	export function supplyModel(ctx: ISupplyDataFunctions, model: object): SupplyData;
	/** A tool's input schema (JSON Schema or Zod) as JSON Schema. */
	export function getParametersJsonSchema(tool: { inputSchema?: unknown }): unknown;
}
