// Every integration by its kind (Healthchecks' kind names).
import { apprise } from './apprise/index.js';
import { call } from './call/index.js';
import { discord } from './discord/index.js';
import { email } from './email/index.js';
import { github } from './github/index.js';
import { googlechat } from './googlechat/index.js';
import { gotify } from './gotify/index.js';
import { createGroupDefinition } from './group/index.js';
import { matrix } from './matrix/index.js';
import { mattermost } from './mattermost/index.js';
import { msteamsw } from './msteamsw/index.js';
import { ntfy } from './ntfy/index.js';
import { opsgenie } from './opsgenie/index.js';
import { pagertree } from './pagertree/index.js';
import { pd } from './pd/index.js';
import { po } from './po/index.js';
import { pushbullet } from './pushbullet/index.js';
import { rocketchat } from './rocketchat/index.js';
import { shell } from './shell/index.js';
import { signal } from './signal/index.js';
import { slack } from './slack/index.js';
import { sms } from './sms/index.js';
import { spike } from './spike/index.js';
import { telegram } from './telegram/index.js';
import { trello } from './trello/index.js';
import { victorops } from './victorops/index.js';
import type { ChannelDefinition } from './types.js';
import { webhook } from './webhook/index.js';
import { whatsapp } from './whatsapp/index.js';
import { zulip } from './zulip/index.js';

const definitions = new Map<string, ChannelDefinition>();
for (const definition of [
  apprise, call, discord, email, github, googlechat, gotify, matrix, mattermost, msteamsw, ntfy, opsgenie,
  pagertree, pd, po, pushbullet, rocketchat, shell, signal, slack, sms, spike, telegram, trello, victorops,
  webhook, whatsapp, zulip,
] as ChannelDefinition[]) { // prettier-ignore
  definitions.set(definition.kind, definition);
}
definitions.set('group', createGroupDefinition((kind) => definitions.get(kind)) as ChannelDefinition);

/** The integration for a channel kind, or undefined for an unknown (or removed) kind. */
export function channelDefinition(kind: string): ChannelDefinition | undefined {
  return definitions.get(kind);
}

/** Every known kind, sorted. */
export const CHANNEL_KINDS: readonly string[] = [...definitions.keys()].sort();
