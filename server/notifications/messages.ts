// What a notification says outside the app (web push, email), by language. The app renders its
// own texts from the type and data; these are for the channels that need finished words. A
// language without its own texts falls back to English.
import type { NotificationType } from './types.ts';

type Texts = Record<NotificationType, string>;

const en: Texts = {
  'friend.request': '{name} sent you a friend request',
  'friend.accepted': '{name} accepted your friend request',
  'follow.new': '{name} started following you',
  'pet.lost': '{name} needs help: {pet} is lost. {note}',
  'post.mention': '{name} mentioned you in a post',
  'story.mention': '{name} mentioned you in their story',
  'post.comment': '{name} commented on your post',
  'comment.reply': '{name} answered your comment',
  'post.reaction': '{name} reacted to your post',
  'comment.reaction': '{name} reacted to your comment',
  'post.share': '{name} shared your post',
  'chat.message': '{name}: {text}',
  'call.incoming': '{name} is calling you',
  'verification.approved': 'Your verification request was approved: your profile now shows the verified mark',
  'verification.rejected': 'Your verification request was not approved: {reason}',
};

const es: Texts = {
  'friend.request': '{name} te envió una solicitud de amistad',
  'friend.accepted': '{name} aceptó tu solicitud de amistad',
  'follow.new': '{name} empezó a seguirte',
  'pet.lost': '{name} necesita ayuda: {pet} está perdido. {note}',
  'post.mention': '{name} te mencionó en una publicación',
  'story.mention': '{name} te mencionó en su historia',
  'post.comment': '{name} comentó tu publicación',
  'comment.reply': '{name} respondió a tu comentario',
  'post.reaction': '{name} reaccionó a tu publicación',
  'comment.reaction': '{name} reaccionó a tu comentario',
  'post.share': '{name} compartió tu publicación',
  'chat.message': '{name}: {text}',
  'call.incoming': '{name} te está llamando',
  'verification.approved': 'Tu solicitud de verificación fue aprobada: tu perfil ya muestra la insignia de verificado',
  'verification.rejected': 'Tu solicitud de verificación no fue aprobada: {reason}',
};

/** What a push says for a message with no text to show. */
export type MessageGist = 'photo' | 'video' | 'voice' | 'encrypted' | 'attachment' | 'post';
const GISTS: Record<string, Record<MessageGist, string>> = {
  en: {
    photo: '📷 Photo',
    video: '🎬 Video',
    voice: '🎤 Voice note',
    encrypted: '🔒 Encrypted message',
    attachment: '📎 Attachment',
    post: '🔗 Shared a post',
  },
  es: {
    photo: '📷 Foto',
    video: '🎬 Video',
    voice: '🎤 Nota de voz',
    encrypted: '🔒 Mensaje cifrado',
    attachment: '📎 Adjunto',
    post: '🔗 Compartió una publicación',
  },
};

export function messageGist(gist: MessageGist, language: string): string {
  return (GISTS[language.split('-')[0] ?? 'en'] ?? GISTS.en)?.[gist] as string;
}

const BY_LANGUAGE: Record<string, Texts> = { en, es };

export function notificationText(type: NotificationType, language: string, params: Record<string, string>): string {
  const texts = BY_LANGUAGE[language.split('-')[0] ?? 'en'] ?? en;
  return texts[type].replace(/\{(\w+)\}/g, (_whole, name: string) => params[name] ?? '').trim();
}
