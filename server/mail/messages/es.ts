import type { MailMessages } from '../templates.ts';

// Spanish: neutral Latin American wording, addressing the reader as "tú" as the product does.
export const es: MailMessages = {
  verify_email: {
    subject: 'Confirma tu correo en PetAmigos',
    lines: [
      'Hola {username}:',
      '¡Te damos la bienvenida a PetAmigos! Confirma que esta es tu dirección de correo:',
      '{link}',
      'El enlace es válido durante 24 horas. Si no creaste una cuenta, puedes ignorar este correo.',
    ],
  },
  reset_password: {
    subject: 'Restablece tu contraseña de PetAmigos',
    lines: [
      'Hola {username}:',
      'Alguien (esperamos que tú) pidió restablecer la contraseña de tu cuenta de PetAmigos. Elige una nueva aquí:',
      '{link}',
      'El enlace es válido durante 1 hora y funciona una sola vez. Si no lo pediste, ignora este correo: tu contraseña no cambia.',
    ],
  },
  password_changed: {
    subject: 'Se cambió tu contraseña de PetAmigos',
    lines: [
      'Hola {username}:',
      'Se acaba de cambiar la contraseña de tu cuenta de PetAmigos y se cerró la sesión en todos los dispositivos.',
      'Si no fuiste tú, restablece tu contraseña ahora: {link}',
    ],
  },
  account_locked: {
    subject: 'Pausamos el inicio de sesión en tu cuenta de PetAmigos desde dispositivos nuevos',
    lines: [
      'Hola {username}:',
      'Hubo demasiados intentos fallidos de iniciar sesión en tu cuenta desde dispositivos que no usas, así que pausamos el inicio de sesión desde dispositivos nuevos durante {minutes} minutos.',
      'Los navegadores en los que ya iniciaste sesión pueden seguir entrando como siempre.',
      'Si no fuiste tú, alguien podría estar intentando adivinar tu contraseña. Puedes elegir una nueva aquí: {link}',
    ],
  },
  notification: {
    subject: '{text}',
    lines: ['Hola, {username}:', '{text}', '{link}', 'Puedes elegir qué notificaciones te llegan por correo: {settingsLink}'],
  },
  notification_digest: {
    subject: '{count} notificaciones más en PetAmigos',
    lines: [
      'Hola, {username}:',
      'Para que tu bandeja de entrada esté tranquila, reunimos lo que pasó desde nuestros últimos correos:',
      '{items}',
      'Míralas todas: {link}',
      'Puedes elegir qué notificaciones te llegan por correo: {settingsLink}',
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
