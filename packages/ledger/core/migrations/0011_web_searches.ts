/** Version 11: searches and fetches the provider ran for a request, which it bills per search. */
export const name = 'web searches';

export const sql = String.raw`
-- Anthropic's server_tool_use.web_search_requests and web_fetch_requests; the web_search_call
-- items of an OpenAI Responses answer. Searches are priced per search; fetches only by their
-- tokens. Null where the answer does not say.
ALTER TABLE llm_usage_log ADD COLUMN web_search_requests integer;
ALTER TABLE llm_usage_log ADD COLUMN web_fetch_requests integer;
`;
