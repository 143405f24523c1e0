// The words of the SPEI renewal reminder (reminder-mail.ts), in each of the 20 languages: it
// carries the bank details a subscriber has to type into their bank's app, so it is never left in
// English. The plan's name, the greeting, "Description" and the method are the receipt's
// (receipt-texts.ts); the field labels are the web client's SPEI dialog's. `{…}` are filled in.
import type { Language } from '../i18n/languages.ts';

export interface ReminderTexts {
  /** `{plan}` is one of the receipt texts' `plans`, `{date}` the end of the period paid for. */
  subject: string;
  intro: string;
  amount: string;
  reference: string;
  beneficiary: string;
  bank: string;
  /** The CLABE again, unbroken (`{clabe}`), for pasting: the grouped one is for reading. */
  copy: string;
  /** `{date}`: when these instructions stop standing. */
  expires: string;
  /** The line before the link to the billing page. */
  billing: string;
}

const en: ReminderTexts = {
  subject: 'Your PetAmigos {plan} plan renews on {date}',
  intro:
    'Your {plan} plan renews on {date}. SPEI transfers are not charged automatically: to keep your plan, send the transfer for your next month from your bank’s app with these details:',
  amount: 'Amount',
  reference: 'Reference',
  beneficiary: 'Beneficiary',
  bank: 'Bank',
  copy: 'The CLABE without spaces, to paste into your bank’s app: {clabe}',
  expires: 'Pay before {date}. Each month has its own CLABE and reference: use these for this transfer only.',
  billing: 'See this payment and your plan in your billing history:',
};

const es: ReminderTexts = {
  subject: 'Tu plan {plan} de PetAmigos se renueva el {date}',
  intro:
    'Tu plan {plan} se renueva el {date}. Las transferencias SPEI no se cobran automáticamente: para conservar tu plan, haz la transferencia del próximo mes desde la app de tu banco con estos datos:',
  amount: 'Monto',
  reference: 'Referencia',
  beneficiary: 'Beneficiario',
  bank: 'Banco',
  copy: 'La CLABE sin espacios, para pegarla en la app de tu banco: {clabe}',
  expires: 'Paga antes del {date}. Cada mes tiene su propia CLABE y referencia: usa estas solo para esta transferencia.',
  billing: 'Consulta este pago y tu plan en tu historial de facturación:',
};

const zh: ReminderTexts = {
  subject: '你的 PetAmigos {plan}套餐将于{date}续订',
  intro: '你的{plan}套餐将于{date}续订。SPEI 转账不会自动扣款：如需保留套餐，请使用以下信息在你的银行应用中完成下个月的转账：',
  amount: '金额',
  reference: '参考号',
  beneficiary: '收款人',
  bank: '银行',
  copy: '不含空格的 CLABE，可直接粘贴到你的银行应用中：{clabe}',
  expires: '请在 {date} 前付款。每个月都有各自的 CLABE 和参考号：以上信息仅用于本次转账。',
  billing: '你可以在账单记录中查看这笔付款和你的套餐：',
};

const fr: ReminderTexts = {
  subject: 'Votre formule {plan} PetAmigos se renouvelle le {date}',
  intro:
    'Votre formule {plan} se renouvelle le {date}. Les virements SPEI ne sont pas prélevés automatiquement : pour garder votre formule, effectuez le virement du mois prochain depuis l’application de votre banque avec ces coordonnées :',
  amount: 'Montant',
  reference: 'Référence',
  beneficiary: 'Bénéficiaire',
  bank: 'Banque',
  copy: 'La CLABE sans espaces, à coller dans l’application de votre banque : {clabe}',
  expires: 'Payez avant le {date}. Chaque mois a sa propre CLABE et sa propre référence : utilisez celles-ci pour ce virement uniquement.',
  billing: 'Retrouvez ce paiement et votre formule dans votre historique de facturation :',
};

const pt: ReminderTexts = {
  subject: 'Seu plano {plan} da PetAmigos é renovado em {date}',
  intro:
    'Seu plano {plan} é renovado em {date}. As transferências SPEI não são cobradas automaticamente: para manter seu plano, faça a transferência do próximo mês pelo app do seu banco com estes dados:',
  amount: 'Valor',
  reference: 'Referência',
  beneficiary: 'Beneficiário',
  bank: 'Banco',
  copy: 'A CLABE sem espaços, para colar no app do seu banco: {clabe}',
  expires: 'Pague antes de {date}. Cada mês tem sua própria CLABE e referência: use estas apenas para esta transferência.',
  billing: 'Veja este pagamento e seu plano no seu histórico de cobranças:',
};

const ar: ReminderTexts = {
  subject: 'تتجدد خطة {plan} في PetAmigos بتاريخ {date}',
  intro:
    'تتجدد خطة {plan} الخاصة بك بتاريخ {date}. لا تُخصم تحويلات SPEI تلقائيًا: للاحتفاظ بخطتك، أرسل تحويل الشهر القادم من تطبيق البنك الذي تتعامل معه باستخدام هذه البيانات:',
  amount: 'المبلغ',
  reference: 'الرقم المرجعي',
  beneficiary: 'المستفيد',
  bank: 'البنك',
  copy: 'رقم CLABE بدون مسافات، لتلصقه في تطبيق البنك: {clabe}',
  expires: 'ادفع قبل {date}. لكل شهر رقم CLABE ورقم مرجعي خاصان به: استخدم هذه البيانات لهذا التحويل فقط.',
  billing: 'يمكنك الاطلاع على هذه الدفعة وعلى خطتك في سجل الفواتير:',
};

const hi: ReminderTexts = {
  subject: 'आपका PetAmigos {plan} प्लान {date} को रिन्यू होगा',
  intro:
    'आपका {plan} प्लान {date} को रिन्यू होगा। SPEI ट्रांसफ़र अपने-आप नहीं कटते: अपना प्लान जारी रखने के लिए, इन विवरणों के साथ अपने बैंक ऐप से अगले महीने का ट्रांसफ़र भेजें:',
  amount: 'राशि',
  reference: 'संदर्भ संख्या',
  beneficiary: 'लाभार्थी',
  bank: 'बैंक',
  copy: 'बिना स्पेस वाला CLABE, अपने बैंक ऐप में पेस्ट करने के लिए: {clabe}',
  expires: '{date} से पहले भुगतान करें। हर महीने का CLABE और संदर्भ संख्या अलग होती है: इन्हें सिर्फ़ इसी ट्रांसफ़र के लिए इस्तेमाल करें।',
  billing: 'यह भुगतान और अपना प्लान अपने बिलिंग इतिहास में देखें:',
};

const ru: ReminderTexts = {
  subject: 'Ваш тариф «{plan}» в PetAmigos продлевается {date}',
  intro:
    'Ваш тариф «{plan}» продлевается {date}. Переводы SPEI не списываются автоматически: чтобы сохранить тариф, отправьте перевод за следующий месяц из приложения своего банка по этим реквизитам:',
  amount: 'Сумма',
  reference: 'Референс',
  beneficiary: 'Получатель',
  bank: 'Банк',
  copy: 'CLABE без пробелов, чтобы вставить в приложение банка: {clabe}',
  expires: 'Оплатите до {date}. У каждого месяца свои CLABE и референс: используйте эти реквизиты только для этого перевода.',
  billing: 'Этот платёж и ваш тариф можно посмотреть в истории оплат:',
};

const de: ReminderTexts = {
  subject: 'Dein PetAmigos-Tarif {plan} verlängert sich am {date}',
  intro:
    'Dein Tarif {plan} verlängert sich am {date}. SPEI-Überweisungen werden nicht automatisch abgebucht: Damit dein Tarif bestehen bleibt, überweise den Betrag für den nächsten Monat mit diesen Angaben aus deiner Banking-App:',
  amount: 'Betrag',
  reference: 'Referenz',
  beneficiary: 'Empfänger',
  bank: 'Bank',
  copy: 'Die CLABE ohne Leerzeichen, zum Einfügen in deine Banking-App: {clabe}',
  expires: 'Zahle bis {date}. Jeder Monat hat eine eigene CLABE und Referenz: Verwende diese nur für diese Überweisung.',
  billing: 'Diese Zahlung und deinen Tarif findest du in deinem Zahlungsverlauf:',
};

const ja: ReminderTexts = {
  subject: 'PetAmigos の{plan}プランは{date}に更新されます',
  intro:
    '{plan}プランは{date}に更新されます。SPEI の振込は自動では引き落とされません。プランを続けるには、銀行アプリから以下の情報で来月分をお振り込みください。',
  amount: '金額',
  reference: '参照番号',
  beneficiary: '受取人',
  bank: '銀行',
  copy: 'スペースなしの CLABE（銀行アプリに貼り付けられます）：{clabe}',
  expires: '{date}までにお支払いください。CLABE と参照番号は月ごとに異なります。この振込にのみご利用ください。',
  billing: 'このお支払いとプランは請求履歴で確認できます：',
};

const bn: ReminderTexts = {
  subject: 'আপনার PetAmigos {plan} প্ল্যান {date} তারিখে নবায়ন হবে',
  intro:
    'আপনার {plan} প্ল্যান {date} তারিখে নবায়ন হবে। SPEI ট্রান্সফার স্বয়ংক্রিয়ভাবে কাটা হয় না: প্ল্যানটি চালু রাখতে, এই তথ্য দিয়ে আপনার ব্যাংকের অ্যাপ থেকে পরের মাসের ট্রান্সফার পাঠান:',
  amount: 'পরিমাণ',
  reference: 'রেফারেন্স',
  beneficiary: 'প্রাপক',
  bank: 'ব্যাংক',
  copy: 'স্পেস ছাড়া CLABE, আপনার ব্যাংকের অ্যাপে পেস্ট করার জন্য: {clabe}',
  expires: '{date}-এর আগে পেমেন্ট করুন। প্রতি মাসের CLABE ও রেফারেন্স আলাদা: এগুলো শুধু এই ট্রান্সফারের জন্য ব্যবহার করুন।',
  billing: 'এই পেমেন্ট ও আপনার প্ল্যান বিলিং ইতিহাসে দেখুন:',
};

const ko: ReminderTexts = {
  subject: 'PetAmigos {plan} 요금제가 {date}에 갱신됩니다',
  intro:
    '{plan} 요금제가 {date}에 갱신됩니다. SPEI 이체는 자동으로 결제되지 않습니다. 요금제를 유지하려면 아래 정보로 은행 앱에서 다음 달 이체를 해 주세요.',
  amount: '금액',
  reference: '참조 번호',
  beneficiary: '수취인',
  bank: '은행',
  copy: '공백 없는 CLABE(은행 앱에 붙여 넣기용): {clabe}',
  expires: '{date} 전까지 결제해 주세요. CLABE와 참조 번호는 달마다 다르니 이번 이체에만 사용하세요.',
  billing: '이 결제와 요금제는 결제 내역에서 확인하세요:',
};

const it: ReminderTexts = {
  subject: 'Il tuo piano {plan} di PetAmigos si rinnova il {date}',
  intro:
    'Il tuo piano {plan} si rinnova il {date}. I bonifici SPEI non vengono addebitati automaticamente: per mantenere il piano, invia il bonifico del mese prossimo dall’app della tua banca con questi dati:',
  amount: 'Importo',
  reference: 'Riferimento',
  beneficiary: 'Beneficiario',
  bank: 'Banca',
  copy: 'La CLABE senza spazi, da incollare nell’app della tua banca: {clabe}',
  expires: 'Paga entro il {date}. Ogni mese ha la sua CLABE e il suo riferimento: usa questi solo per questo bonifico.',
  billing: 'Trovi questo pagamento e il tuo piano nella cronologia di fatturazione:',
};

const tr: ReminderTexts = {
  subject: 'PetAmigos {plan} planın {date} tarihinde yenileniyor',
  intro:
    '{plan} planın {date} tarihinde yenileniyor. SPEI havaleleri otomatik olarak tahsil edilmez: planını korumak için gelecek ayın havalesini bankanın uygulamasından şu bilgilerle gönder:',
  amount: 'Tutar',
  reference: 'Referans',
  beneficiary: 'Alıcı',
  bank: 'Banka',
  copy: 'Bankanın uygulamasına yapıştırmak için boşluksuz CLABE: {clabe}',
  expires: '{date} tarihinden önce öde. Her ayın kendi CLABE’si ve referansı vardır: bunları yalnızca bu havale için kullan.',
  billing: 'Bu ödemeyi ve planını fatura geçmişinde gör:',
};

const id: ReminderTexts = {
  subject: 'Paket {plan} PetAmigos kamu diperpanjang pada {date}',
  intro:
    'Paket {plan} kamu diperpanjang pada {date}. Transfer SPEI tidak ditagih otomatis: agar paketmu tetap aktif, kirim transfer untuk bulan berikutnya dari aplikasi bankmu dengan data berikut:',
  amount: 'Jumlah',
  reference: 'Referensi',
  beneficiary: 'Penerima',
  bank: 'Bank',
  copy: 'CLABE tanpa spasi, untuk ditempel di aplikasi bankmu: {clabe}',
  expires: 'Bayar sebelum {date}. Setiap bulan punya CLABE dan referensi sendiri: gunakan ini hanya untuk transfer ini.',
  billing: 'Lihat pembayaran ini dan paketmu di riwayat tagihan:',
};

const ur: ReminderTexts = {
  subject: 'آپ کے PetAmigos {plan} پلان کی تجدید {date} کو ہوگی',
  intro:
    'آپ کے {plan} پلان کی تجدید {date} کو ہوگی۔ SPEI ٹرانسفر خودکار طور پر نہیں کٹتے: اپنا پلان جاری رکھنے کے لیے، ان تفصیلات کے ساتھ اپنی بینک ایپ سے اگلے مہینے کا ٹرانسفر بھیجیں:',
  amount: 'رقم',
  reference: 'حوالہ نمبر',
  beneficiary: 'وصول کنندہ',
  bank: 'بینک',
  copy: 'اسپیس کے بغیر CLABE، اپنی بینک ایپ میں پیسٹ کرنے کے لیے: {clabe}',
  expires: '{date} سے پہلے ادائیگی کریں۔ ہر مہینے کا CLABE اور حوالہ نمبر الگ ہوتا ہے: انہیں صرف اسی ٹرانسفر کے لیے استعمال کریں۔',
  billing: 'یہ ادائیگی اور اپنا پلان بلنگ کی تاریخ میں دیکھیں:',
};

const th: ReminderTexts = {
  subject: 'แพ็กเกจ {plan} ของ PetAmigos จะต่ออายุในวันที่ {date}',
  intro:
    'แพ็กเกจ {plan} ของคุณจะต่ออายุในวันที่ {date} การโอนผ่าน SPEI จะไม่ถูกเรียกเก็บเงินโดยอัตโนมัติ หากต้องการใช้แพ็กเกจต่อ โปรดโอนเงินสำหรับเดือนถัดไปจากแอปธนาคารของคุณด้วยข้อมูลต่อไปนี้:',
  amount: 'จำนวนเงิน',
  reference: 'เลขอ้างอิง',
  beneficiary: 'ผู้รับเงิน',
  bank: 'ธนาคาร',
  copy: 'CLABE แบบไม่มีช่องว่าง สำหรับวางในแอปธนาคาร: {clabe}',
  expires: 'โปรดชำระเงินก่อน {date} แต่ละเดือนมี CLABE และเลขอ้างอิงของตัวเอง โปรดใช้ข้อมูลนี้สำหรับการโอนครั้งนี้เท่านั้น',
  billing: 'ดูการชำระเงินนี้และแพ็กเกจของคุณได้ในประวัติการเรียกเก็บเงิน:',
};

const pl: ReminderTexts = {
  subject: 'Twój plan {plan} w PetAmigos odnawia się {date}',
  intro:
    'Twój plan {plan} odnawia się {date}. Przelewy SPEI nie są pobierane automatycznie: aby zachować plan, wyślij przelew za następny miesiąc z aplikacji swojego banku, używając tych danych:',
  amount: 'Kwota',
  reference: 'Numer referencyjny',
  beneficiary: 'Odbiorca',
  bank: 'Bank',
  copy: 'CLABE bez spacji, do wklejenia w aplikacji banku: {clabe}',
  expires: 'Zapłać do {date}. Każdy miesiąc ma własny CLABE i numer referencyjny: użyj tych danych tylko do tego przelewu.',
  billing: 'Tę płatność i swój plan znajdziesz w historii rozliczeń:',
};

const nl: ReminderTexts = {
  subject: 'Je PetAmigos-abonnement {plan} wordt op {date} verlengd',
  intro:
    'Je abonnement {plan} wordt op {date} verlengd. SPEI-overschrijvingen worden niet automatisch afgeschreven: wil je je abonnement houden, maak dan de overschrijving voor de volgende maand vanuit je bankapp met deze gegevens:',
  amount: 'Bedrag',
  reference: 'Referentie',
  beneficiary: 'Begunstigde',
  bank: 'Bank',
  copy: 'De CLABE zonder spaties, om in je bankapp te plakken: {clabe}',
  expires: 'Betaal vóór {date}. Elke maand heeft een eigen CLABE en referentie: gebruik deze alleen voor deze overschrijving.',
  billing: 'Bekijk deze betaling en je abonnement in je betaalgeschiedenis:',
};

const vi: ReminderTexts = {
  subject: 'Gói {plan} PetAmigos của bạn sẽ được gia hạn vào {date}',
  intro:
    'Gói {plan} của bạn sẽ được gia hạn vào {date}. Chuyển khoản SPEI không được trừ tiền tự động: để giữ gói, hãy chuyển khoản cho tháng tiếp theo từ ứng dụng ngân hàng của bạn với thông tin sau:',
  amount: 'Số tiền',
  reference: 'Mã tham chiếu',
  beneficiary: 'Người thụ hưởng',
  bank: 'Ngân hàng',
  copy: 'CLABE không có khoảng trắng, để dán vào ứng dụng ngân hàng: {clabe}',
  expires: 'Hãy thanh toán trước {date}. Mỗi tháng có CLABE và mã tham chiếu riêng: chỉ dùng thông tin này cho lần chuyển khoản này.',
  billing: 'Xem khoản thanh toán này và gói của bạn trong lịch sử thanh toán:',
};

export const REMINDER_TEXTS: Record<Language, ReminderTexts> = {
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
