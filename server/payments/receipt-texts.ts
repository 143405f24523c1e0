// The words of a receipt (the PDF and the mail that carries its facts), in each of the 20
// languages: a receipt is a document the buyer may have to show, so it is never left in English.
// `treats` is an ICU plural worded like the app's own count of treats; `{…}` are filled in.
import { IntlMessageFormat } from 'intl-messageformat';
import { LANGUAGES, type Language } from '../i18n/languages.ts';
import type { PaidPlanId } from './schema.ts';

export interface ReceiptTexts {
  /** The document's title. */
  title: string;
  number: string;
  datePaid: string;
  billedTo: string;
  seller: string;
  item: string;
  method: string;
  amount: string;
  refunded: string;
  /** What a chargeback took back (a `reversed` payment). */
  chargedBack: string;
  /** A pack: how many treats it bought (ICU plural of `count`). */
  treats: string;
  /** A period of a plan: `{plan}` is one of `plans`. */
  planMonth: string;
  plans: Record<PaidPlanId, string>;
  spei: string;
  thanks: string;
  /** The mail: its subject, the greeting, the line before the facts and the one before the link. */
  subject: string;
  greeting: string;
  intro: string;
  billing: string;
}

const en: ReceiptTexts = {
  title: 'Receipt',
  number: 'Receipt number',
  datePaid: 'Date paid',
  billedTo: 'Billed to',
  seller: 'Seller',
  item: 'Description',
  method: 'Payment method',
  amount: 'Amount paid',
  refunded: 'Refunded',
  chargedBack: 'Charged back',
  treats: '{count, plural, one {# treat} other {# treats}}',
  planMonth: '{plan} plan, one month',
  plans: { basic: 'Basic', premium: 'Premium', pro: 'Pro' },
  spei: 'Bank transfer (SPEI)',
  thanks: 'Thank you for your purchase!',
  subject: 'Your PetAmigos receipt {number}',
  greeting: 'Hi {username},',
  intro: 'Thank you for your payment. Here is your receipt:',
  billing: 'Download it as a PDF and see all your payments in your billing history:',
};

const es: ReceiptTexts = {
  title: 'Recibo',
  number: 'Número de recibo',
  datePaid: 'Fecha de pago',
  billedTo: 'Facturado a',
  seller: 'Vendedor',
  item: 'Descripción',
  method: 'Método de pago',
  amount: 'Importe pagado',
  refunded: 'Reembolsado',
  chargedBack: 'Contracargo',
  treats: '{count, plural, one {# premio} other {# premios}}',
  planMonth: 'Plan {plan}, un mes',
  plans: { basic: 'Básico', premium: 'Premium', pro: 'Pro' },
  spei: 'Transferencia bancaria (SPEI)',
  thanks: '¡Gracias por tu compra!',
  subject: 'Tu recibo de PetAmigos {number}',
  greeting: 'Hola {username}:',
  intro: 'Gracias por tu pago. Aquí tienes tu recibo:',
  billing: 'Descárgalo en PDF y consulta todos tus pagos en tu historial de facturación:',
};

const zh: ReceiptTexts = {
  title: '收据',
  number: '收据编号',
  datePaid: '付款日期',
  billedTo: '付款人',
  seller: '销售方',
  item: '项目',
  method: '付款方式',
  amount: '已付金额',
  refunded: '已退款',
  chargedBack: '已拒付',
  treats: '{count, plural, other {# 份零食}}',
  planMonth: '{plan}套餐，一个月',
  plans: { basic: '基础版', premium: '高级版', pro: '专业版' },
  spei: '银行转账（SPEI）',
  thanks: '感谢你的购买！',
  subject: '你的 PetAmigos 收据 {number}',
  greeting: '{username}，你好：',
  intro: '感谢你的付款。以下是你的收据：',
  billing: '你可以下载 PDF 版本，并在账单记录中查看所有付款：',
};

const fr: ReceiptTexts = {
  title: 'Reçu',
  number: 'Numéro de reçu',
  datePaid: 'Date du paiement',
  billedTo: 'Facturé à',
  seller: 'Vendeur',
  item: 'Description',
  method: 'Moyen de paiement',
  amount: 'Montant payé',
  refunded: 'Remboursé',
  chargedBack: 'Rétrofacturé',
  treats: '{count, plural, one {# friandise} other {# friandises}}',
  planMonth: 'Formule {plan}, un mois',
  plans: { basic: 'Essentielle', premium: 'Premium', pro: 'Pro' },
  spei: 'Virement bancaire (SPEI)',
  thanks: 'Merci pour votre achat !',
  subject: 'Votre reçu PetAmigos {number}',
  greeting: 'Bonjour {username},',
  intro: 'Merci pour votre paiement. Voici votre reçu :',
  billing: 'Téléchargez-le en PDF et retrouvez tous vos paiements dans votre historique de facturation :',
};

const pt: ReceiptTexts = {
  title: 'Recibo',
  number: 'Número do recibo',
  datePaid: 'Data do pagamento',
  billedTo: 'Cobrado de',
  seller: 'Vendedor',
  item: 'Descrição',
  method: 'Forma de pagamento',
  amount: 'Valor pago',
  refunded: 'Reembolsado',
  chargedBack: 'Estornado',
  treats: '{count, plural, one {# petisco} other {# petiscos}}',
  planMonth: 'Plano {plan}, um mês',
  plans: { basic: 'Básico', premium: 'Premium', pro: 'Pro' },
  spei: 'Transferência bancária (SPEI)',
  thanks: 'Obrigado pela sua compra!',
  subject: 'Seu recibo da PetAmigos {number}',
  greeting: 'Olá, {username}!',
  intro: 'Obrigado pelo seu pagamento. Aqui está o seu recibo:',
  billing: 'Baixe-o em PDF e veja todos os seus pagamentos no seu histórico de cobranças:',
};

const ar: ReceiptTexts = {
  title: 'إيصال',
  number: 'رقم الإيصال',
  datePaid: 'تاريخ الدفع',
  billedTo: 'صادر باسم',
  seller: 'البائع',
  item: 'الوصف',
  method: 'طريقة الدفع',
  amount: 'المبلغ المدفوع',
  refunded: 'المبلغ المسترد',
  chargedBack: 'المبلغ المسترجع من البنك',
  treats: '{count, plural, zero {لا مكافآت} one {مكافأة واحدة} two {مكافأتان} few {# مكافآت} many {# مكافأةً} other {# مكافأة}}',
  planMonth: 'خطة {plan} لمدة شهر',
  plans: { basic: 'الأساسية', premium: 'المميزة', pro: 'الاحترافية' },
  spei: 'تحويل بنكي (SPEI)',
  thanks: 'شكرًا لك على الشراء!',
  subject: 'إيصالك من PetAmigos رقم {number}',
  greeting: 'مرحبًا {username}،',
  intro: 'شكرًا لك على الدفع. إليك إيصالك:',
  billing: 'يمكنك تنزيله بصيغة PDF والاطلاع على جميع مدفوعاتك في سجل الفواتير:',
};

const hi: ReceiptTexts = {
  title: 'रसीद',
  number: 'रसीद संख्या',
  datePaid: 'भुगतान की तारीख',
  billedTo: 'बिल प्राप्तकर्ता',
  seller: 'विक्रेता',
  item: 'विवरण',
  method: 'भुगतान का तरीका',
  amount: 'भुगतान की गई राशि',
  refunded: 'लौटाई गई राशि',
  chargedBack: 'चार्जबैक की गई राशि',
  treats: '{count, plural, one {# ट्रीट} other {# ट्रीट्स}}',
  planMonth: '{plan} प्लान, एक महीना',
  plans: { basic: 'बेसिक', premium: 'प्रीमियम', pro: 'प्रो' },
  spei: 'बैंक ट्रांसफ़र (SPEI)',
  thanks: 'खरीदारी के लिए धन्यवाद!',
  subject: 'आपकी PetAmigos रसीद {number}',
  greeting: 'नमस्ते {username},',
  intro: 'आपके भुगतान के लिए धन्यवाद। यह रही आपकी रसीद:',
  billing: 'इसे PDF के रूप में डाउनलोड करें और अपने बिलिंग इतिहास में अपने सभी भुगतान देखें:',
};

const ru: ReceiptTexts = {
  title: 'Квитанция',
  number: 'Номер квитанции',
  datePaid: 'Дата оплаты',
  billedTo: 'Плательщик',
  seller: 'Продавец',
  item: 'Описание',
  method: 'Способ оплаты',
  amount: 'Оплачено',
  refunded: 'Возвращено',
  chargedBack: 'Оспорено через банк',
  treats: '{count, plural, one {# лакомство} few {# лакомства} many {# лакомств} other {# лакомства}}',
  planMonth: 'Тариф «{plan}», один месяц',
  plans: { basic: 'Базовый', premium: 'Премиум', pro: 'Про' },
  spei: 'Банковский перевод (SPEI)',
  thanks: 'Спасибо за покупку!',
  subject: 'Ваша квитанция PetAmigos {number}',
  greeting: 'Здравствуйте, {username}!',
  intro: 'Спасибо за оплату. Вот ваша квитанция:',
  billing: 'Скачайте её в PDF и посмотрите все свои платежи в истории оплат:',
};

const de: ReceiptTexts = {
  title: 'Quittung',
  number: 'Quittungsnummer',
  datePaid: 'Bezahlt am',
  billedTo: 'Rechnungsempfänger',
  seller: 'Verkäufer',
  item: 'Beschreibung',
  method: 'Zahlungsart',
  amount: 'Bezahlter Betrag',
  refunded: 'Erstattet',
  chargedBack: 'Rückbuchung',
  treats: '{count, plural, one {# Leckerli} other {# Leckerlis}}',
  planMonth: 'Tarif {plan}, ein Monat',
  plans: { basic: 'Basis', premium: 'Premium', pro: 'Pro' },
  spei: 'Banküberweisung (SPEI)',
  thanks: 'Vielen Dank für deinen Kauf!',
  subject: 'Deine PetAmigos-Quittung {number}',
  greeting: 'Hallo {username},',
  intro: 'Danke für deine Zahlung. Hier ist deine Quittung:',
  billing: 'Lade sie als PDF herunter und sieh alle deine Zahlungen in deinem Zahlungsverlauf:',
};

const ja: ReceiptTexts = {
  title: '領収書',
  number: '領収書番号',
  datePaid: 'お支払い日',
  billedTo: 'お支払い者',
  seller: '販売者',
  item: '内容',
  method: 'お支払い方法',
  amount: 'お支払い金額',
  refunded: '返金額',
  chargedBack: 'チャージバック額',
  treats: '{count, plural, other {おやつ # 個}}',
  planMonth: '{plan}プラン（1か月）',
  plans: { basic: 'ベーシック', premium: 'プレミアム', pro: 'プロ' },
  spei: '銀行振込（SPEI）',
  thanks: 'ご購入ありがとうございます。',
  subject: 'PetAmigos の領収書 {number}',
  greeting: '{username} さん',
  intro: 'お支払いありがとうございます。領収書をお送りします。',
  billing: 'PDF のダウンロードと、これまでのお支払いの確認は請求履歴からどうぞ：',
};

const bn: ReceiptTexts = {
  title: 'রসিদ',
  number: 'রসিদ নম্বর',
  datePaid: 'পরিশোধের তারিখ',
  billedTo: 'বিল প্রাপক',
  seller: 'বিক্রেতা',
  item: 'বিবরণ',
  method: 'পেমেন্ট পদ্ধতি',
  amount: 'পরিশোধিত পরিমাণ',
  refunded: 'ফেরত দেওয়া হয়েছে',
  chargedBack: 'চার্জব্যাক করা হয়েছে',
  treats: '{count, plural, one {#টি ট্রিট} other {#টি ট্রিট}}',
  planMonth: '{plan} প্ল্যান, এক মাস',
  plans: { basic: 'বেসিক', premium: 'প্রিমিয়াম', pro: 'প্রো' },
  spei: 'ব্যাংক ট্রান্সফার (SPEI)',
  thanks: 'কেনাকাটার জন্য ধন্যবাদ!',
  subject: 'আপনার PetAmigos রসিদ {number}',
  greeting: 'হ্যালো {username},',
  intro: 'আপনার পেমেন্টের জন্য ধন্যবাদ। এই নিন আপনার রসিদ:',
  billing: 'এটি PDF হিসেবে ডাউনলোড করুন এবং বিলিং ইতিহাসে আপনার সব পেমেন্ট দেখুন:',
};

const ko: ReceiptTexts = {
  title: '영수증',
  number: '영수증 번호',
  datePaid: '결제일',
  billedTo: '결제자',
  seller: '판매자',
  item: '내역',
  method: '결제 수단',
  amount: '결제 금액',
  refunded: '환불 금액',
  chargedBack: '지불 거절 금액',
  treats: '{count, plural, other {간식 #개}}',
  planMonth: '{plan} 요금제 1개월',
  plans: { basic: '베이직', premium: '프리미엄', pro: '프로' },
  spei: '계좌 이체(SPEI)',
  thanks: '구매해 주셔서 감사합니다!',
  subject: 'PetAmigos 영수증 {number}',
  greeting: '{username}님, 안녕하세요.',
  intro: '결제해 주셔서 감사합니다. 영수증을 보내 드립니다.',
  billing: 'PDF로 내려받고 결제 내역에서 모든 결제를 확인하세요:',
};

const it: ReceiptTexts = {
  title: 'Ricevuta',
  number: 'Numero della ricevuta',
  datePaid: 'Data del pagamento',
  billedTo: 'Intestata a',
  seller: 'Venditore',
  item: 'Descrizione',
  method: 'Metodo di pagamento',
  amount: 'Importo pagato',
  refunded: 'Rimborsato',
  chargedBack: 'Stornato',
  treats: '{count, plural, one {# biscottino} other {# biscottini}}',
  planMonth: 'Piano {plan}, un mese',
  plans: { basic: 'Base', premium: 'Premium', pro: 'Pro' },
  spei: 'Bonifico bancario (SPEI)',
  thanks: 'Grazie per il tuo acquisto!',
  subject: 'La tua ricevuta PetAmigos {number}',
  greeting: 'Ciao {username},',
  intro: 'Grazie per il pagamento. Ecco la tua ricevuta:',
  billing: 'Scaricala in PDF e trova tutti i tuoi pagamenti nella cronologia di fatturazione:',
};

const tr: ReceiptTexts = {
  title: 'Makbuz',
  number: 'Makbuz numarası',
  datePaid: 'Ödeme tarihi',
  billedTo: 'Ödeyen',
  seller: 'Satıcı',
  item: 'Açıklama',
  method: 'Ödeme yöntemi',
  amount: 'Ödenen tutar',
  refunded: 'İade edilen',
  chargedBack: 'Ters ibraz edilen',
  treats: '{count, plural, one {# ödül maması} other {# ödül maması}}',
  planMonth: '{plan} planı, bir ay',
  plans: { basic: 'Temel', premium: 'Premium', pro: 'Pro' },
  spei: 'Banka havalesi (SPEI)',
  thanks: 'Satın aldığın için teşekkürler!',
  subject: 'PetAmigos makbuzun {number}',
  greeting: 'Merhaba {username},',
  intro: 'Ödemen için teşekkürler. Makbuzun aşağıda:',
  billing: 'PDF olarak indir ve tüm ödemelerini fatura geçmişinde gör:',
};

const id: ReceiptTexts = {
  title: 'Kuitansi',
  number: 'Nomor kuitansi',
  datePaid: 'Tanggal pembayaran',
  billedTo: 'Ditagihkan kepada',
  seller: 'Penjual',
  item: 'Deskripsi',
  method: 'Metode pembayaran',
  amount: 'Jumlah dibayar',
  refunded: 'Dikembalikan',
  chargedBack: 'Ditarik kembali (chargeback)',
  treats: '{count, plural, other {# camilan}}',
  planMonth: 'Paket {plan}, satu bulan',
  plans: { basic: 'Dasar', premium: 'Premium', pro: 'Pro' },
  spei: 'Transfer bank (SPEI)',
  thanks: 'Terima kasih atas pembelianmu!',
  subject: 'Kuitansi PetAmigos kamu {number}',
  greeting: 'Halo {username},',
  intro: 'Terima kasih atas pembayaranmu. Ini kuitansimu:',
  billing: 'Unduh dalam bentuk PDF dan lihat semua pembayaranmu di riwayat tagihan:',
};

const ur: ReceiptTexts = {
  title: 'رسید',
  number: 'رسید نمبر',
  datePaid: 'ادائیگی کی تاریخ',
  billedTo: 'ادا کنندہ',
  seller: 'فروخت کنندہ',
  item: 'تفصیل',
  method: 'ادائیگی کا طریقہ',
  amount: 'ادا شدہ رقم',
  refunded: 'واپس کی گئی رقم',
  chargedBack: 'بینک کے ذریعے واپس لی گئی رقم',
  treats: '{count, plural, one {# ٹریٹ} other {# ٹریٹس}}',
  planMonth: '{plan} پلان، ایک مہینہ',
  plans: { basic: 'بنیادی', premium: 'پریمیم', pro: 'پرو' },
  spei: 'بینک ٹرانسفر (SPEI)',
  thanks: 'خریداری کا شکریہ!',
  subject: 'آپ کی PetAmigos رسید {number}',
  greeting: 'السلام علیکم {username}،',
  intro: 'آپ کی ادائیگی کا شکریہ۔ یہ رہی آپ کی رسید:',
  billing: 'اسے PDF میں ڈاؤن لوڈ کریں اور بلنگ کی تاریخ میں اپنی تمام ادائیگیاں دیکھیں:',
};

const th: ReceiptTexts = {
  title: 'ใบเสร็จรับเงิน',
  number: 'เลขที่ใบเสร็จ',
  datePaid: 'วันที่ชำระเงิน',
  billedTo: 'ผู้ชำระเงิน',
  seller: 'ผู้ขาย',
  item: 'รายการ',
  method: 'วิธีการชำระเงิน',
  amount: 'ยอดที่ชำระ',
  refunded: 'ยอดที่คืนเงิน',
  chargedBack: 'ยอดที่ถูกปฏิเสธการชำระ',
  treats: '{count, plural, other {ขนม # ชิ้น}}',
  planMonth: 'แพ็กเกจ {plan} 1 เดือน',
  plans: { basic: 'เบสิก', premium: 'พรีเมียม', pro: 'โปร' },
  spei: 'โอนเงินผ่านธนาคาร (SPEI)',
  thanks: 'ขอบคุณที่ซื้อสินค้า!',
  subject: 'ใบเสร็จ PetAmigos ของคุณ {number}',
  greeting: 'สวัสดี {username}',
  intro: 'ขอบคุณสำหรับการชำระเงิน นี่คือใบเสร็จของคุณ:',
  billing: 'ดาวน์โหลดเป็น PDF และดูการชำระเงินทั้งหมดได้ในประวัติการเรียกเก็บเงิน:',
};

const pl: ReceiptTexts = {
  title: 'Potwierdzenie płatności',
  number: 'Numer potwierdzenia',
  datePaid: 'Data płatności',
  billedTo: 'Płatnik',
  seller: 'Sprzedawca',
  item: 'Opis',
  method: 'Metoda płatności',
  amount: 'Zapłacona kwota',
  refunded: 'Zwrócono',
  chargedBack: 'Obciążenie zwrotne',
  treats: '{count, plural, one {# przysmak} few {# przysmaki} many {# przysmaków} other {# przysmaku}}',
  planMonth: 'Plan {plan}, jeden miesiąc',
  plans: { basic: 'Podstawowy', premium: 'Premium', pro: 'Pro' },
  spei: 'Przelew bankowy (SPEI)',
  thanks: 'Dziękujemy za zakup!',
  subject: 'Twoje potwierdzenie płatności PetAmigos {number}',
  greeting: 'Cześć {username},',
  intro: 'Dziękujemy za płatność. Oto Twoje potwierdzenie:',
  billing: 'Pobierz je jako PDF i zobacz wszystkie swoje płatności w historii rozliczeń:',
};

const nl: ReceiptTexts = {
  title: 'Betaalbewijs',
  number: 'Nummer betaalbewijs',
  datePaid: 'Betaaldatum',
  billedTo: 'Gefactureerd aan',
  seller: 'Verkoper',
  item: 'Omschrijving',
  method: 'Betaalmethode',
  amount: 'Betaald bedrag',
  refunded: 'Terugbetaald',
  chargedBack: 'Teruggeboekt',
  treats: '{count, plural, one {# snoepje} other {# snoepjes}}',
  planMonth: 'Abonnement {plan}, één maand',
  plans: { basic: 'Basis', premium: 'Premium', pro: 'Pro' },
  spei: 'Bankoverschrijving (SPEI)',
  thanks: 'Bedankt voor je aankoop!',
  subject: 'Je PetAmigos-betaalbewijs {number}',
  greeting: 'Hoi {username},',
  intro: 'Bedankt voor je betaling. Hier is je betaalbewijs:',
  billing: 'Download het als pdf en bekijk al je betalingen in je betaalgeschiedenis:',
};

const vi: ReceiptTexts = {
  title: 'Biên lai',
  number: 'Số biên lai',
  datePaid: 'Ngày thanh toán',
  billedTo: 'Người thanh toán',
  seller: 'Người bán',
  item: 'Nội dung',
  method: 'Phương thức thanh toán',
  amount: 'Số tiền đã trả',
  refunded: 'Đã hoàn tiền',
  chargedBack: 'Đã bị bồi hoàn',
  treats: '{count, plural, other {# bánh thưởng}}',
  planMonth: 'Gói {plan}, một tháng',
  plans: { basic: 'Cơ bản', premium: 'Cao cấp', pro: 'Chuyên nghiệp' },
  spei: 'Chuyển khoản ngân hàng (SPEI)',
  thanks: 'Cảm ơn bạn đã mua hàng!',
  subject: 'Biên lai PetAmigos của bạn {number}',
  greeting: 'Chào {username},',
  intro: 'Cảm ơn bạn đã thanh toán. Đây là biên lai của bạn:',
  billing: 'Tải xuống dưới dạng PDF và xem mọi khoản thanh toán trong lịch sử thanh toán:',
};

export const RECEIPT_TEXTS: Record<Language, ReceiptTexts> = {
  en,
  es,
  zh,
  fr,
  pt,
  ar,
  hi,
  ru,
  de,
  ja,
  bn,
  ko,
  it,
  tr,
  id,
  ur,
  th,
  pl,
  nl,
  vi,
};

/** The language a receipt is worded in: the account's, or English for one the product does not speak. */
export const receiptLanguage = (language: string): Language => {
  const base = language.split('-')[0] ?? 'en';
  return (LANGUAGES as readonly string[]).includes(base) ? (base as Language) : 'en';
};

/** The locale of a reader's dates and amounts: their profile's regional variant of the language (es-MX formats as Mexico does), else the language. */
export const readerLocale = (language: Language, profileLocale: string | null): string =>
  profileLocale !== null && profileLocale.split('-')[0] === language ? profileLocale : language;

/** `text` with its `{names}` filled in. */
export const fillIn = (text: string, params: Record<string, string>): string =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);

/** How many treats, worded with the language's plural rules and digits. */
export const treatsText = (language: Language, count: number): string =>
  String(new IntlMessageFormat(RECEIPT_TEXTS[language].treats, language).format({ count }));
