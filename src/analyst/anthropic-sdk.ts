// The slice of the Anthropic SDK the analyst uses: the base client with the Messages resource and
// the error classes. Importing these subpaths instead of the package index keeps the dozens of
// other resources (beta, organization, files, skills…) out of the bundle; claude.ts loads this
// module on first use.
import { BaseAnthropic } from "@anthropic-ai/sdk/client";
import { Messages } from "@anthropic-ai/sdk/resources/messages/messages";

export class MessagesClient extends BaseAnthropic {
  readonly messages: Messages = new Messages(this);
}

export {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  AuthenticationError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
} from "@anthropic-ai/sdk/core/error";
export { transformJSONSchema } from "@anthropic-ai/sdk/lib/transform-json-schema";
