import type { MailMessages } from '../templates.ts';

// English: the reference catalogue. Every other language has the same templates and placeholders.
export const en: MailMessages = {
  verify_email: {
    subject: 'Confirm your email for PetAmigos',
    lines: [
      'Hi {username},',
      'Welcome to PetAmigos! Please confirm that this is your email address:',
      '{link}',
      'The link is valid for 24 hours. If you did not create an account, you can ignore this mail.',
    ],
  },
  reset_password: {
    subject: 'Reset your PetAmigos password',
    lines: [
      'Hi {username},',
      'Someone (hopefully you) asked to reset the password of your PetAmigos account. Choose a new one here:',
      '{link}',
      'The link is valid for 1 hour and works once. If you did not ask for this, ignore this mail: your password stays as it is.',
    ],
  },
  password_changed: {
    subject: 'Your PetAmigos password was changed',
    lines: [
      'Hi {username},',
      'The password of your PetAmigos account was just changed, and every device was signed out.',
      'If this was not you, reset your password now: {link}',
    ],
  },
  account_locked: {
    subject: 'Sign-in to your PetAmigos account is paused on new devices',
    lines: [
      'Hi {username},',
      'There were too many failed attempts to sign in to your account from devices it is not used on, so we paused sign-in from new devices for {minutes} minutes.',
      'Browsers where you have signed in before can still sign in as usual.',
      'If this was not you, someone may be guessing your password. You can choose a new one here: {link}',
    ],
  },
  notification: {
    subject: '{text}',
    lines: ['Hi {username},', '{text}', '{link}', 'You can choose which notifications reach you by email: {settingsLink}'],
  },
  notification_digest: {
    subject: '{count} more notifications on PetAmigos',
    lines: [
      'Hi {username},',
      'So that your inbox stays calm, we gathered what happened since our last mails:',
      '{items}',
      'See them all: {link}',
      'You can choose which notifications reach you by email: {settingsLink}',
    ],
  },
  // Worded in the buyer's language by server/payments/receipt-texts.ts (all 20), like a notification's text.
  receipt: {
    subject: '{subject}',
    lines: ['{greeting}', '{intro}', '{facts}', '{billing}', '{link}'],
  },
  // Worded in the subscriber's language by server/payments/reminder-texts.ts (all 20), like the receipt.
  spei_reminder: {
    subject: '{subject}',
    lines: ['{greeting}', '{intro}', '{facts}', '{copy}', '{expires}', '{billing}', '{link}'],
  },
};
