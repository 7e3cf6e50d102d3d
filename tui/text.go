package tui

// Every Russian string the clerk reads, on the screens or from the SSH
// server, lives here.
const (
	txtKeyProblemsDown = "замечания ниже"
	txtKeyProblemsUp   = "замечания выше"
	txtKeyClearFilter  = "очистить фильтр"
	txtKeyClearFilters = "очистить фильтр, затем раздел и организацию"
	txtListSettling    = "Список ещё обновляется — нажмите клавишу ещё раз через мгновение"
	txtApp             = "СОУТ"
	txtJournal         = "Журнал"
	txtRegister        = "Реестр"
	txtLookup          = "Поиск"
	txtSummary         = "Сводная"
	txtRisks           = "Риски"

	txtKeyRiskNext    = "след. индикатор"
	txtKeyRiskPrev    = "пред. индикатор"
	txtKeyRiskSection = "раздел ОКВЭД"
	txtKeyRiskView    = "списки/аналитика"

	txtRiskPeriod      = "Индикаторы риска: %s"
	txtRiskEmployers   = "работодателей в реестре: %d"
	txtRiskSection     = "Раздел: %s · строк: %d"
	txtRiskAllSections = "все"
	txtRiskNoSection   = "без кода ОКВЭД"
	txtRiskNone        = "Нет работодателей с таким индикатором"
	txtRiskTrend       = "Доли классов условий труда по полугодиям (работники, гр. 8)"
	txtRiskLegend      = "░ классы 1–2   ▓ классы 3.1–3.4   █ класс 4   справа — доля классов 3.1–4"
	txtRiskOrgs        = "Организации СОУТ против субъекта в тех же разделах ОКВЭД (записи периода)"
	txtRiskNoOrgs      = "В периоде нет записей реестра"
	txtRiskNoData      = "нет записей"
	txtRiskH1          = "I пол."
	txtRiskH2          = "II пол."
	txtColINN          = "ИНН"
	txtColEmployer     = "Работодатель"
	txtColOKVED        = "ОКВЭД"
	txtColIndicator    = "Индикатор"
	txtColValue        = "Значение"
	txtColOrg          = "Организация"
	txtColWorkers      = "Работн."
	txtColShare        = "Доля, %"
	txtColExpected     = "Субъект"
	txtColGap          = "Разница"

	txtKeyHelp       = "справка"
	txtKeyQuit       = "выход"
	txtKeyUp         = "вверх"
	txtKeyDown       = "вниз"
	txtKeyPgUp       = "стр. вверх"
	txtKeyPgDn       = "стр. вниз"
	txtKeyHome       = "в начало"
	txtKeyEnd        = "в конец"
	txtKeyNew        = "новая запись"
	txtKeyUserAdd    = "новый пользователь"
	txtKeyOpen       = "открыть"
	txtKeyFilter     = "фильтр"
	txtKeyPeriod     = "период"
	txtKeyReturn     = "вернуть на доработку"
	txtKeyAccept     = "принять в реестр"
	txtKeyAnnul      = "аннулировать"
	txtKeyResubmit   = "поступило повторно"
	txtKeyNext       = "след. поле"
	txtKeyPrev       = "пред. поле"
	txtKeySave       = "сохранить"
	txtKeyClose      = "закрыть"
	txtKeyLeft       = "влево"
	txtKeyRight      = "вправо"
	txtKeyConfirm    = "да"
	txtKeyCancel     = "отмена"
	txtKeyXLSX       = "записать XLSX"
	txtKeyCSV        = "записать CSV"
	txtKeyPrevPeriod = "пред. полугодие"
	txtKeyNextPeriod = "след. полугодие"
	txtKeyColsRight  = "графы правее"
	txtKeyColsLeft   = "графы левее"
	txtKeyLock       = "заблокировать / разблокировать период"
	txtKeyRole       = "сменить роль"
	txtKeyRemove     = "удалить"
	txtUsers         = "Пользователи"
	txtKeyDrop       = "отбросить изменения"
	txtKeyQuitDrop   = "выйти без сохранения"
	txtKeyLockDo     = "заблокировать период"
	txtKeyUnlockDo   = "разблокировать период"
	txtKeyCopy       = "скопировать команду"
	txtKeyWrite      = "записать файл"
	txtKeyOverwrite  = "заменить файл"
	txtKeyAdd        = "добавить"
	txtKeyHistory    = "история"
	txtKeySettings   = "настройки бланков"

	txtSettingsTitle   = "Настройки бланков (заголовки и подписи форм)"
	txtSettingsSaved   = "Настройки сохранены"
	txtSettingsMissing = "! В бланках не будет: %s (o — настройки)"
	txtKeyCopyEntry    = "копия в новую запись"
	txtKeyStatusFilter = "статус: все / просроченные / …"
	txtStatusAll       = "все статусы"
	txtStatusOverdue   = "просроченные"

	// txtHistoryOf titles F8, the whole history of a record; txtStatusHistory
	// heads a journal entry's status changes, in F8 and on its card.
	txtHistoryOf       = "История: %s"
	txtHistoryNone     = "Изменений записи в журнале аудита нет"
	txtHistoryGrid     = "изменены"
	txtHistoryFigure   = "Показатели: %s, графа «%s»"
	txtStatusHistory   = "История статуса"
	txtHistoryNoFields = "Поля записи не менялись"
	txtHistoryChanges  = "Изменения полей"

	txtNoRightUsers = "Пользователи: экран только для администратора"
	txtAskLeave     = "Карточка изменена. Ctrl+S — сохранить и перейти, Enter — отбросить изменения и перейти, Esc — " +
		"вернуться к карточке"
	txtOpenNow      = "текущее полугодие открыто"
	txtOpenNowShort = "открыто"
	txtLockedNow    = "%s заблокировано"
	txtOpenP        = "%s открыто"
	txtDueLocked    = "заблокирован: %s, %s"
	txtCopied       = "Команда скопирована в буфер обмена"
	txtAskOverwrite = "Файл %s уже есть. Заменить его? (Enter — заменить, Esc — отмена)"
	txtPathIsDir    = "Файл: «%s» — это папка; укажите имя файла"
	txtNoDir        = "Файл: папки «%s» нет"
	txtNotDir       = "Файл: «%s» — не папка"
	txtOSPermission = "нет прав на запись"
	txtOSNotExist   = "папки нет"
	txtOSNoSpace    = "нет места на диске"
	txtOSReadOnly   = "диск только для чтения"
	txtOSOther      = "ошибка системы"

	txtUser         = "Пользователь"
	txtLocked       = "период закрыт"
	txtOpen         = "период открыт"
	txtLoading      = "Загрузка…"
	txtNoRows       = "Записей нет"
	txtFilter       = "Фильтр: "
	txtFilterHint   = "нет"
	txtAllTime      = "все годы"
	txtOverdue      = "просрочено"
	txtOverdueN     = "просрочено: %d"
	txtCount        = "записей: %d"
	txtCountReading = "записей: …"
	txtSaved        = "Сохранено: %s"
	txtShutdown     = "Сервер останавливается: %s"
	txtConfirmQuit  = "Есть несохранённые изменения. Выйти без сохранения? (Enter — да, Esc — нет)"
	txtConfirmDrop  = "Есть несохранённые изменения. Закрыть без сохранения? (Enter — да, Esc — нет)"
	txtConfirmWarn  = "Есть предупреждения. Сохранить всё равно? (Enter — да, Esc — нет)"
	txtSaveRefused  = "Не сохранено — исправьте ошибки:"
	txtChangedBy    = "Запись изменена в другом сеансе (%s) — список обновлён"

	txtJournalCard  = "Запись журнала"
	txtJournalNew   = "Новая запись журнала"
	txtRegisterCard = "Запись реестра"
	txtRegisterNew  = "Новая запись реестра"
	txtFromJournal  = "из журнала № %s"

	txtReturnTitle   = "Вернуть на доработку запись № %s"
	txtAnnulTitle    = "Аннулировать запись № %s"
	txtReason        = "Причина"
	txtDeadline      = "Срок доработки"
	txtReturnWrong   = "Вернуть на доработку можно только поступившую запись (эта: %s)"
	txtResubmitWrong = "Повторное поступление отмечается только у возвращённой записи (эта: %s)"
	txtAnnulWrong    = "Аннулировать можно только поступившую или возвращённую запись (эта: %s)"
	txtAnnulledRO    = "Запись аннулирована (%s): только для просмотра"
	txtCardLocked    = "Период «%s» заблокирован (%s): запись только для просмотра"
	txtNothingToSave = "Изменений нет — сохранять нечего"
	txtMoreAbove     = "↑ ещё строк: %d (PgUp)"

	txtINNValid    = "✓ ИНН верен"
	txtINNKnown    = "✓ известен: %s"
	txtSectionOf   = "раздел %s — %s"
	txtGridTitle   = "Показатели (графы 7–15)"
	txtNoProblems  = "✓ Проверки пройдены"
	txtErrMark     = "✗ "
	txtWarnMark    = "! "
	txtSearchHint  = "ИНН, ОГРН или слова наименования в любом порядке"
	txtNothing     = "Ничего не найдено"
	txtFound       = "Найдено: %d (Enter — карточка)"
	txtFoundCapped = "Показаны первые %d из %s (Enter — карточка; уточните запрос)"
	txtCardJournal = "Журнал (%d)"
	txtCardReg     = "Реестр — история результатов (%d)"
	txtNewFor      = "Enter — открыть запись, n — новая запись журнала, Insert — новая запись реестра"

	txtSumPeriod      = "Период: %s"
	txtSumDue         = "Срок отправки в Роструд: %s (%s)"
	txtDaysLeft       = "осталось дней: %d"
	txtDaysOver       = "просрочено на %d дн."
	txtSumEntries     = "Записей реестра учтено: %d"
	txtSumWarnings    = "Предупреждения (%d):"
	txtWritePath      = "Файл для записи (Enter — записать, Esc — отмена): "
	txtWritten        = "Записан файл %s"
	txtColCode        = "№"
	txtColName        = "Показатель"
	txtColOrgs        = "Орг."
	txtColsHidden     = "слева скрыто граф: %d (Shift+Tab)"
	txtLookupPrompt   = "ИНН или наименование: "
	txtCardIDs        = "ИНН %s   ОГРН %s   ОКВЭД %s"
	txtCardSection    = " (раздел %s)"
	txtINNDigits      = "ИНН: %d цифр из 10 или 12"
	txtRegisterCardOf = "%s от %s (версия %d, изменил %s)"
	txtMoreLines      = "↓ ещё строк: %d (PgDn)"

	// Messages of the SSH server and of its exec command lines.
	txtExecBlank = "пустая команда: укажите её, например report summary --period 2026H1 --format csv; экраны — " +
		"ssh -t"
	txtExecQuote      = "незакрытая кавычка в команде"
	txtExecTooLong    = "слишком длинная команда: %d символов, можно не больше %d"
	txtExecWord       = "Слово команды"
	txtServeNoHostKey = "не указан файл ключа сервера (--host-key)"
	txtServeListen    = "Не удалось слушать адрес %s: %v"
	txtServeHostKey   = "не удалось создать ключ сервера %s: %s"
	txtServeStopping  = "работа сервера завершается; всё сохранённое — в базе, несохранённые изменения открытой " +
		"карточки не записаны"
	txtServeTooMany      = "sout: с этим ключом уже открыто сеансов: %d (допустимо %d)"
	txtServeNeedTerminal = "sout: нужен терминал (ssh -t) или команда, например: report summary --period 2026H1 " +
		"--format csv"
	txtServeUnknownKey = "sout: ключ не зарегистрирован"
	txtServeRevoked    = "доступ пользователя %s отозван"
	txtFileLabel       = "Файл"
	txtNoFile          = "не указан файл"
	txtCannotWrite     = "не удалось записать файл %s: %s"
)

// Field labels of the cards, in Tab order.
var (
	journalLabels = []string{
		"Дата поступления",
		"ИНН работодателя",
		"Наименование работодателя",
		"Организация, проводившая СОУТ",
		"№ в реестре организаций СОУТ",
		"Дата письма",
		"№ письма",
		"Примечания",
	}
	registerLabels = []string{
		"Дата внесения",
		"ИНН",
		"Наименование",
		"Адрес",
		"ОГРН",
		"ОКВЭД",
		"Организация СОУТ",
		"№ в реестре организаций, проводящих СОУТ",
	}

	txtAskLock = "Заблокировать период? Записи реестра с датами в нём нельзя будет вносить и менять. " +
		"Показанное полугодие можно заменить годом (2026) или другим периодом."
	txtLockPeriod   = "Период"
	txtLockNoPeriod = "Период: не указан"
	txtAskUnlock    = "Разблокировать период «%s» для изменений? (Enter — разблокировать, Esc — отмена)"
	txtLockedP      = "Период «%s» заблокирован"
	txtUnlocked     = "Период «%s» разблокирован"
	txtRawOneLine   = "(это одна команда, перенесённая по ширине экрана; Enter копирует её целиком)"
	txtRemoteWrite  = "В сеансе SSH файлы на сервере не пишутся. Получите файл на своём компьютере командой ниже " +
		"(Enter — скопировать её в буфер обмена, Esc — закрыть):"
	txtUserAdd           = "Новый пользователь"
	txtUserAdded         = "Пользователь %s добавлен (%s)"
	txtUserRole          = "Роль пользователя %s"
	txtUserRoleSet       = "Пользователь %s: роль «%s»"
	txtUserAskRemove     = "Удалить пользователя %s? Его сеансы закроются в течение минуты. (Enter — да, Esc — нет)"
	txtUserAskRemoveSelf = "Удалить себя? Этот сеанс закроется в течение минуты. (Enter — да, Esc — нет)"
	txtUserRemoved       = "Пользователь %s удалён"
	txtNoUsers           = "Пользователей нет"
	txtUsersHint         = "Вход по SSH — только по ключу из этого списка; имя при входе не важно."
	usersListHead        = []string{"Имя", "Роль", "Ключи (SHA256)"}
	txtReturnedUntil     = "возвр. до %02d.%02d"
	txtOverdueSince      = "просроч. с %02d.%02d"
	journalListHead      = []string{"№", "Дата", "Работодатель", "ИНН", "Организация СОУТ", "Статус"}
	registerListHead     = []string{"Дата", "Работодатель", "ИНН", "ОКВЭД", "Организация СОУТ", "РМ", "СОУТ", "3.x+4"}
	userAddFields        = []string{"Имя", "Роль", "Открытый ключ"}
	userRoleFields       = []string{"Роль"}
	settingsFields       = []string{"Субъект РФ", "Инспекция", "Руководитель", "Составитель", "Телефон"}
	lookupRegisterHead   = []string{"Дата", "РМ", "СОУТ", "1", "2", "3.1", "3.2", "3.3", "3.4", "4", "работн."}
)

// The audit's actions and the records' fields, as the history names them.
var (
	auditActions = map[string]string{
		"create":   "создана",
		"update":   "изменена",
		"return":   "возвращена на доработку",
		"resubmit": "поступила повторно",
		"annul":    "аннулирована",
		"accept":   "принята в реестр",
		"import":   "загружена из файла",
		"revoke":   "принятие отменено",
	}
	auditFields = map[string]string{
		"ReceivedOn": "Дата поступления", "EmployerName": "Наименование работодателя", "EmployerINN": "ИНН работодателя",
		"SoutOrgName": "Организация, проводившая СОУТ", "SoutOrgRegNo": "№ в реестре организаций СОУТ",
		"LetterDate": "Дата письма", "LetterNo": "№ письма", "Notes": "Примечания", "Status": "Статус",
		"StatusReason": "Причина", "ReturnDeadline": "Срок доработки", "RegisterID": "Запись реестра",
		"No":        "Регистрационный номер",
		"EnteredOn": "Дата внесения", "Employer.Name": "Наименование", "Employer.Address": "Адрес",
		"Employer.INN": "ИНН", "Employer.OGRN": "ОГРН", "Employer.OKVED": "ОКВЭД",
		"SoutOrg.Name": "Организация СОУТ", "SoutOrg.RegNo": "№ в реестре организаций, проводящих СОУТ",
		"Grid":            "Показатели (графы 7–15)",
		"Annulled.Reason": "Причина аннулирования",
	}
	// auditFieldOrder is the cards' order of the fields the history shows.
	auditFieldOrder = []string{
		"No", "ReceivedOn", "EnteredOn",
		"EmployerINN", "EmployerName",
		"Employer.INN", "Employer.Name", "Employer.Address", "Employer.OGRN", "Employer.OKVED",
		"SoutOrgName", "SoutOrgRegNo",
		"SoutOrg.Name", "SoutOrg.RegNo",
		"LetterDate", "LetterNo", "Notes",
		"Status", "StatusReason", "ReturnDeadline",
		"Grid", "Annulled.Reason",
	}
)

// The lists' find, sort and suggestion strings (branch lists).
const (
	txtOrgSuggest    = "Tab — %s%s · %d из %d, ещё Ctrl+N"
	txtOrgSuggestOne = "Tab — %s%s"
	txtOrgSuggestNo  = " (№ в реестре %s)"
	txtKeyOrgNext    = "след. подсказка"
	txtKeyOrgPrev    = "пред. подсказка"
	txtKeyWarnOpen   = "открыть запись предупреждения"

	txtKeySection     = "раздел ОКВЭД"
	txtKeyOrgFilter   = "организация СОУТ"
	txtKeySort        = "сортировка"
	txtKeyJump        = "к дате"
	txtKeyShow        = "показать"
	txtKeyGo          = "перейти"
	txtPeriodTitle    = "Период списка: 2026H1, 2026H2, 2026 или 01.01.2026..31.03.2026; пусто — все годы"
	txtPeriodLabel    = "Период"
	txtJumpTitle      = "Перейти к дате: курсор встанет на первую запись с этой даты"
	txtDate           = "Дата"
	txtJumpNoDate     = "Дата: не указана"
	txtJumpNone       = "Записей с %s и позже в списке нет"
	txtSectionTitle   = "Раздел ОКВЭД2: буква от A до U; пусто — все разделы"
	txtSectionLabel   = "Раздел"
	txtOrgFilterTitle = "Организация, проводящая СОУТ: название или его часть; пусто — все организации"
	txtOrgFilterLabel = "Организация"
	txtSectionF       = "раздел %s"
	txtOrgF           = "СОУТ: %s"
)

// journalSorts name the Journal's orders in the foot, in the order t goes
// through them; registerSorts the Register's (by date of entry only: the
// store's key order).
var (
	journalSorts  = []string{"по дате ↓", "по дате ↑", "по номеру", "по работодателю", "по статусу"}
	registerSorts = []string{"по дате ↓", "по дате ↑"}
)

// Records' history, annulment, revocation (issue 15).
const (
	txtReturnNoReason = "Причина возврата: не указана"
	txtHistoryNote    = txtStatusHistory + ": %s"

	txtKeyRevoke     = "отменить принятие"
	txtRegAnnulTitle = "Аннулировать запись реестра %s от %s как внесённую по ошибке? " +
		"Она останется в реестре с пометкой и уйдёт из сводной, реестра для печати и показателей рисков"
	txtRegAnnulJournal = "Запись журнала, из которой она внесена, останется принятой; " +
		"чтобы вернуть пакет в «поступило», отмените принятие (u в журнале)"
	txtRegAnnulled     = "Запись реестра %s от %s аннулирована"
	txtJournalAnnulled = "Запись журнала № %s аннулирована"
	txtReturnedDone    = "Запись журнала № %s возвращена на доработку до %s"
	txtResubmitted     = "Запись журнала № %s поступила повторно %s"
	txtRegAnnulAgain   = "Запись реестра уже аннулирована (%s, %s)"
	txtRegAnnulLocked  = "Период «%s» заблокирован (%s, %s): аннулировать запись нельзя"
	txtRegAnnulledRO   = "Аннулирована %s (%s): %s — только для просмотра"
	txtRegAnnulMark    = "✗ аннул. "
	txtRevokeTitle     = "Отменить принятие записи № %s? " +
		"Запись реестра из неё будет аннулирована, запись журнала вернётся в «поступило»"
	txtRevokeWrong     = "Отменить можно только принятие (эта запись: %s)"
	txtRevoked         = "Принятие записи № %s отменено"
	txtResubmitTitle   = "Повторное поступление записи № %s"
	txtResubmitOn      = "Дата повторного поступления"
	txtLockedList      = "заблокировано: %s"
	txtLockedListShort = "заблок.: %s"
	txtConfirmWarnList = "Есть предупреждения:\n%s\nСохранить всё равно? (Enter — да, Esc — нет)"
)

// The clerk's day, the rest of issue 15: refusals before questions, dates as
// typed, what Enter does, an annulled card, where an imported record came from.
const (
	txtRevokeLocked     = "Период «%s» заблокирован (%s, %s): отменить принятие записи № %s нельзя"
	txtRevokedMeanwhile = "Принятие записи отменено (%s, %s: %s) — ваши изменения не сохранены: закройте карточку (Esc) " +
		"и откройте запись заново"
	txtAnnulledMeanwhile = "Запись аннулирована%s — ваши изменения не сохранены; карточка теперь только для просмотра"
	txtKeyOrgTake        = "взять подсказку (в поле организации)"
	txtKeyFieldUpDown    = "пред. / след. поле"
	txtKeyGridMove       = "по клеткам"
	txtKeyGridType       = "ввод / стереть"
	txtKeyGridEnds       = "первая / последняя графа строки"
	txtKeyNewJournal     = "новая запись журнала"
	txtKeyNewRegister    = "новая запись реестра"
	txtKeyClear          = "очистить"
	txtKeyWarnSelect     = "к предупреждениям"
	txtKeyBackToCard     = "назад к карточке"
	txtKeyWarnLeave      = "выйти из предупреждений"
	txtPeriodBothDates   = "Период: нужны обе даты, например 01.01.2026..31.03.2026 (введено «%s»)"
	txtPeriodStart       = "Период, начало"
	txtPeriodEnd         = "Период, конец"
	txtPeriodBackwards   = "Период: конец %s раньше начала %s"
	txtPeriodUnknown     = "Период: «%s» не распознан — нужен 2026H1, 2026H2, 2026 или 01.01.2026..31.03.2026"
)

// shortDescs are the shorter descriptions the help line uses when the full
// ones leave keys out: more of the screen's keys fit in its two lines.
var shortDescs = map[string]string{
	txtKeyNew:          "новая",
	txtKeyAnnul:        "аннул.",
	txtKeyAccept:       "принять",
	txtKeyReturn:       "вернуть",
	txtKeyResubmit:     "повторно",
	txtKeyStatusFilter: "статус",
	txtKeyCopyEntry:    "копия",
	txtKeyRevoke:       "отм. принятия",
	txtKeyLock:         "блокировка",
	txtKeySettings:     "настройки",
	txtKeyColsRight:    "графы →",
	txtKeyColsLeft:     "графы ←",
	txtKeyXLSX:         "XLSX",
	txtKeyCSV:          "CSV",
	txtKeyPgUp:         "стр.↑",
	txtKeyPgDn:         "стр.↓",
	txtKeyProblemsDown: "замеч.↓",
	txtKeyProblemsUp:   "замеч.↑",
	txtKeyOrgTake:      "подсказка",
	txtKeyOrgFilter:    "организация",
	txtKeySection:      "раздел",
	txtKeyWarnOpen:     "открыть",
	txtKeyWarnSelect:   "предупреждения",
}
