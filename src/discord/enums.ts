// The few discord-api-types enum members the bot uses at runtime, as plain constants.
// discord-api-types is CommonJS, so importing one enum value bundles every enum it defines
// (~90 KiB); types cost nothing. Each constant is typed as its enum member, so the compiler
// refuses a value that differs from discord-api-types.
import type {
  ApplicationCommandOptionType as ApplicationCommandOptionTypeEnum,
  ApplicationCommandType as ApplicationCommandTypeEnum,
  ApplicationIntegrationType as ApplicationIntegrationTypeEnum,
  ButtonStyle as ButtonStyleEnum,
  ComponentType as ComponentTypeEnum,
  InteractionContextType as InteractionContextTypeEnum,
  InteractionResponseType as InteractionResponseTypeEnum,
  InteractionType as InteractionTypeEnum,
  MessageFlags as MessageFlagsEnum,
} from "discord-api-types/v10";

type Members<E, K extends keyof E> = { readonly [P in K]: E[P] };

export const InteractionType: Members<typeof InteractionTypeEnum, "Ping" | "ApplicationCommand" | "MessageComponent"> =
  { Ping: 1, ApplicationCommand: 2, MessageComponent: 3 };

export const InteractionResponseType: Members<
  typeof InteractionResponseTypeEnum,
  "Pong" | "ChannelMessageWithSource" | "DeferredChannelMessageWithSource" | "DeferredMessageUpdate" | "UpdateMessage"
> = {
  Pong: 1,
  ChannelMessageWithSource: 4,
  DeferredChannelMessageWithSource: 5,
  DeferredMessageUpdate: 6,
  UpdateMessage: 7,
};

export const ApplicationCommandType: Members<typeof ApplicationCommandTypeEnum, "ChatInput"> = { ChatInput: 1 };

export const ApplicationCommandOptionType: Members<
  typeof ApplicationCommandOptionTypeEnum,
  "String" | "Integer" | "Boolean" | "Number"
> = { String: 3, Integer: 4, Boolean: 5, Number: 10 };

export const ApplicationIntegrationType: Members<typeof ApplicationIntegrationTypeEnum, "GuildInstall"> = {
  GuildInstall: 0,
};

export const InteractionContextType: Members<typeof InteractionContextTypeEnum, "Guild"> = { Guild: 0 };

export const ComponentType: Members<typeof ComponentTypeEnum, "ActionRow" | "Button"> = { ActionRow: 1, Button: 2 };

export const ButtonStyle: Members<typeof ButtonStyleEnum, "Primary" | "Success" | "Danger"> = {
  Primary: 1,
  Success: 3,
  Danger: 4,
};

export const MessageFlags: Members<typeof MessageFlagsEnum, "Ephemeral"> = { Ephemeral: 64 };
