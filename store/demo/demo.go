// Package demo fills a store with realistic synthetic data, for trying the
// program out and for the benchmarks. It uses only the store's exported API.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"

	"sout/store"
)

// Options size the synthetic data of Generate.
type Options struct {
	Employers int   // how many employers; each gets about five register entries
	Seed      int64 // the same seed gives the same data
}

// Stats counts what Generate wrote.
type Stats struct {
	Employers int
	Register  int
	Journal   int
}

// String gives the counts in Russian, for the demo command.
func (d Stats) String() string {
	return fmt.Sprintf("работодателей %d, записей реестра %d, записей журнала %d", d.Employers, d.Register, d.Journal)
}

// demoClassShares are the class shares of assessed workplaces, per mille, roughly the national ones:
// 1, 2, 3.1, 3.2, 3.3, 3.4, 4.
var demoClassShares = [7]int{20, 650, 180, 100, 37, 7, 6}

var (
	demoForms = []string{"ООО", "ООО", "ООО", "АО", "ПАО", "ЗАО", "ГБУЗ", "МБОУ", "ГКУ", "МУП", "ФГУП"}
	demoWords = []string{
		"Волга", "Жигули", "Самарский", "Промтех", "Северсталь", "Агроинвест", "Нефтемаш", "Стройресурс",
		"Автокомплект", "Энергия", "Прогресс", "Кристалл", "Меридиан", "Старт", "Вектор", "Альянс", "Сокол",
		"Гранит", "Радуга", "Технолог", "Металлист", "Заря", "Восход", "Импульс", "Берёзка", "Ладья", "Полёт",
		"Дельта", "Орион", "Сфера",
	}
	demoSuffix  = []string{"", "", " Плюс", "-Сервис", " Групп", "-Транс", " Трейд", "-Строй", "-Агро", " Медика"}
	demoSurname = []string{
		"Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Васильев", "Соколов", "Михайлов",
		"Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев",
	}
	demoInit   = []string{"А.", "В.", "Г.", "Д.", "Е.", "И.", "К.", "М.", "Н.", "О.", "П.", "С."}
	demoCities = []string{
		"г. Самара", "г. Тольятти", "г. Сызрань", "г. Новокуйбышевск", "г. Чапаевск", "г. Жигулёвск",
		"г. Отрадный", "пгт Безенчук", "с. Кинель-Черкассы",
	}
	demoStreets = []string{
		"ул. Ленина", "ул. Мира", "Московское ш.", "ул. Гагарина", "ул. Победы", "пр. Кирова", "ул. Садовая",
		"ул. Заводская", "ул. Революционная", "Южное ш.",
	}
	demoOrgs = []store.SoutOrg{
		{Name: "ООО «Центр охраны труда»", RegNo: "1"}, {Name: "ООО «Экостандарт»", RegNo: "12"},
		{Name: "АО «Промбезопасность»", RegNo: "37"}, {Name: "ООО «Лаборатория условий труда»", RegNo: "58"},
		{Name: "ООО «СОУТ-Поволжье»", RegNo: "104"}, {Name: "ООО «Аттестат»", RegNo: "211"},
		{Name: "ООО «Профэксперт»", RegNo: "305"}, {Name: "ООО «Безопасный труд»", RegNo: "412"},
		{Name: "АНО «Институт охраны труда»", RegNo: "518"}, {Name: "ООО «ТрудЭксперт»", RegNo: "640"},
	}
	// demoSectionWeights are the relative weights of OKVED sections A…U (T and U rare).
	demoSectionWeights = []int{6, 2, 22, 3, 3, 10, 16, 7, 5, 3, 2, 3, 4, 3, 2, 4, 3, 1, 1, 0, 0}
)

// Generate fills the store with realistic synthetic data: valid INNs and
// OGRNs, plausible names and addresses, OKVED codes across all sections, class
// shares like the national ones, journal entries in every status (overdue
// returns too), dates over the last three years up to today. It writes through
// the Import API, so it is all or nothing and fast, and ends with ctx.
func Generate(ctx context.Context, s *store.Store, a store.Actor, opt Options) (Stats, error) {
	var st Stats
	if opt.Employers <= 0 {
		return st, store.Errorf(store.CodeInvalid, "Число работодателей должно быть положительным, а не %d", opt.Employers)
	}
	today := s.Today()
	// Registration numbers follow the dates of receipt, as in a kept
	// journal: a first walk counts the packages of each day, and the
	// second, from the same seed, numbers them while it writes.
	perDay := map[store.Date]int{}
	_, _ = demoWalk(opt, today, false, func(journal []store.JournalEntry, _ []store.RegisterEntry,
		_ []int) error { // the counting flush never fails
		for i := range journal {
			perDay[journal[i].ReceivedOn]++
		}
		return nil
	})
	next := firstNumbers(perDay)
	im, err := s.BeginImport(ctx, a, fmt.Sprintf("демо-данные: %d работодателей, зерно %d", opt.Employers, opt.Seed))
	if err != nil {
		return st, err
	}
	st.Employers, err = demoWalk(opt, today, true,
		func(journal []store.JournalEntry, register []store.RegisterEntry, links []int) error {
			for i := range journal {
				journal[i].No = next[journal[i].ReceivedOn]
				next[journal[i].ReceivedOn]++
			}
			if err := im.AddJournal(journal); err != nil {
				return err
			}
			for i := range register {
				if links[i] >= 0 {
					register[i].JournalID = journal[links[i]].ID
				}
			}
			if err := im.AddRegister(register); err != nil {
				return err
			}
			st.Journal += len(journal)
			st.Register += len(register)
			return nil
		})
	if err != nil {
		im.Abort()
		return st, err
	}
	return st, im.Commit()
}

// firstNumbers gives each day the first registration number of its
// packages, counting from 1 in each year, days in order.
func firstNumbers(perDay map[store.Date]int) map[store.Date]int {
	days := make([]store.Date, 0, len(perDay))
	for d := range perDay {
		days = append(days, d)
	}
	slices.Sort(days)
	first, no, year := map[store.Date]int{}, 1, 0
	for _, d := range days {
		if d.Year() != year {
			no, year = 1, d.Year()
		}
		first[d] = no
		no += perDay[d]
	}
	return first
}

// demoWalk generates the demo data of opt, the same for the same seed, and
// hands it to flush in chunks: journal entries, register entries, and for
// each register entry the index in journal of its package (or -1). It
// returns the number of employers. Without grids the figures are left out
// (the costly part); everything else is the same, for each figure grid
// draws from a stream of its own.
func demoWalk(opt Options, today store.Date, grids bool,
	flush func(journal []store.JournalEntry, register []store.RegisterEntry, links []int) error) (int, error) {
	rng := rand.New(rand.NewPCG(uint64(opt.Seed), 0x5047))
	gridPCG := rand.NewPCG(0, 0)
	gridRng := rand.New(gridPCG)
	start := today.AddDays(-3 * 365)
	const chunk = 20000
	var journal []store.JournalEntry
	var register []store.RegisterEntry
	var links []int
	send := func() error {
		err := flush(journal, register, links)
		journal, register, links = journal[:0], register[:0], links[:0]
		return err
	}
	secTotal := 0
	for _, w := range demoSectionWeights {
		secTotal += w
	}
	usedINN := map[string]bool{}
	employers := 0
	for i := 0; i < opt.Employers; i++ {
		emp := demoEmployer(rng, i, usedINN, secTotal)
		org := demoOrgs[rng.IntN(len(demoOrgs))]
		n := 1 + rng.IntN(9) // 1…9, five on average
		for k := 0; k < n; k++ {
			if rng.IntN(4) == 0 {
				org = demoOrgs[rng.IntN(len(demoOrgs))]
			}
			entered := start.AddDays(rng.IntN(start.DaysUntil(today) + 1))
			e := store.RegisterEntry{EnteredOn: entered, Employer: emp, SoutOrg: org}
			if gridSeed := rng.Uint64(); grids {
				gridPCG.Seed(gridSeed, 0x6a1d)
				e.Grid = demoGrid(gridRng)
			}
			link := -1
			// Packages of the last four months come with their journal
			// entry; of older ones, one in eight (the journal of earlier
			// years was kept on paper and only partly typed in), so that
			// every year has its journal.
			if entered.DaysUntil(today) < 120 || rng.IntN(8) == 0 {
				received := entered.AddDays(-rng.IntN(10))
				letter := received.AddDays(-1 - rng.IntN(5))
				journal = append(journal, store.JournalEntry{ReceivedOn: received, EmployerName: emp.Name, EmployerINN: emp.INN,
					SoutOrgName: org.Name, SoutOrgRegNo: org.RegNo, LetterDate: letter,
					LetterNo: strconv.Itoa(100+rng.IntN(900)) + "/" + strconv.Itoa(1+rng.IntN(12))})
				link = len(journal) - 1
			}
			register = append(register, e)
			links = append(links, link)
		}
		// Packages still in the journal only: received, returned (some overdue), annulled.
		if rng.IntN(10) == 0 {
			received := today.AddDays(-rng.IntN(90))
			j := store.JournalEntry{ReceivedOn: received, EmployerName: emp.Name, EmployerINN: emp.INN, SoutOrgName: org.Name,
				SoutOrgRegNo: org.RegNo, LetterDate: received.AddDays(-2), LetterNo: strconv.Itoa(1 + rng.IntN(999))}
			// A return or an annulment is dated a few days after receipt (never
			// after today) and a return's deadline counts from it, as in life;
			// the days come from the name, not from rng, which keeps the
			// rest of the data of a seed as it was.
			on := min(received.AddDays(1+len(emp.Name)%7), today)
			switch rng.IntN(4) {
			case 0:
				j.Status, j.StatusReason, j.ReturnDeadline = store.StatusReturned,
					"не представлены карты СОУТ на все рабочие места", on.AddDays(30)
			case 1:
				j.Status, j.StatusReason = store.StatusAnnulled, "материалы направлены ошибочно"
			}
			if j.Status != "" {
				j.Events = []store.StatusEvent{{Status: j.Status, On: on, Reason: j.StatusReason, Deadline: j.ReturnDeadline}}
			}
			journal = append(journal, j)
		}
		employers++
		if len(register) >= chunk {
			if err := send(); err != nil {
				return employers, err
			}
		}
	}
	return employers, send()
}

func demoEmployer(rng *rand.Rand, i int, used map[string]bool, secTotal int) store.Employer {
	var e store.Employer
	for {
		if rng.IntN(10) == 0 {
			e.INN = store.INNCheckDigits(fmt.Sprintf("63%08d", rng.IntN(100000000)))
		} else {
			e.INN = store.INNCheckDigits(fmt.Sprintf("63%02d%05d", 1+rng.IntN(99), rng.IntN(100000)))
		}
		if !used[e.INN] {
			used[e.INN] = true
			break
		}
	}
	city := demoCities[rng.IntN(len(demoCities))]
	e.Address = fmt.Sprintf("4430%02d, Самарская обл., %s, %s, д. %d", rng.IntN(100), city,
		demoStreets[rng.IntN(len(demoStreets))], 1+rng.IntN(150))
	year := 2 + rng.IntN(22)
	if len(e.INN) == 12 {
		e.Name = fmt.Sprintf("ИП %s %s %s", demoSurname[rng.IntN(len(demoSurname))], demoInit[rng.IntN(len(demoInit))],
			demoInit[rng.IntN(len(demoInit))])
		e.OGRN = store.OGRNCheckDigit(fmt.Sprintf("3%02d63%09d", year, rng.IntN(1000000000)))
	} else {
		form := demoForms[rng.IntN(len(demoForms))]
		name := demoWords[rng.IntN(len(demoWords))] + demoSuffix[rng.IntN(len(demoSuffix))]
		switch form {
		case "МБОУ":
			name = fmt.Sprintf("Школа № %d", 1+rng.IntN(180))
		case "ГБУЗ":
			name = fmt.Sprintf("Городская больница № %d", 1+rng.IntN(12))
		}
		e.Name = fmt.Sprintf("%s «%s»", form, name)
		e.OGRN = store.OGRNCheckDigit(fmt.Sprintf("1%02d63%07d", year, rng.IntN(10000000)))
	}
	// An OKVED code in a section picked by weight, with one chance in a hundred of T or U.
	var sec *store.Section
	if rng.IntN(100) == 0 {
		sec = &store.Sections[19+rng.IntN(2)]
	} else {
		x := rng.IntN(secTotal)
		for j, w := range demoSectionWeights {
			if x < w {
				sec = &store.Sections[j]
				break
			}
			x -= w
		}
	}
	codes := demoOKVED[sec.Letter]
	e.OKVED = codes[rng.IntN(len(codes))]
	return e
}

// demoGrid builds a consistent grid workplace by workplace, so that every
// check holds: classes add up to the assessed column, assessed ≤ total,
// women, under-18s and disabled ≤ workers, workers ≥ workplaces.
func demoGrid(rng *rand.Rand) store.Grid {
	var g store.Grid
	places := 3 + rng.IntN(40)
	if rng.IntN(8) == 0 {
		places += rng.IntN(400)
	}
	assessed := places
	if rng.IntN(3) == 0 {
		assessed = 1 + rng.IntN(places)
	}
	for p := 0; p < places; p++ {
		workers := 1
		if rng.IntN(3) == 0 {
			workers += rng.IntN(4)
		}
		var f [store.NumRows]int
		f[store.RowWorkplaces], f[store.RowWorkers] = 1, workers
		for w := 0; w < workers; w++ {
			if rng.IntN(100) < 45 {
				f[store.RowWomen]++
			}
			if rng.IntN(1000) < 3 {
				f[store.RowUnder18]++
			}
			if rng.IntN(1000) < 15 {
				f[store.RowDisabled]++
			}
		}
		cols := []int{store.ColTotal}
		if p < assessed {
			x, c := rng.IntN(1000), 0
			for x >= demoClassShares[c] {
				x -= demoClassShares[c]
				c++
			}
			cols = append(cols, store.ColAssessed, store.ColClass1+c)
		}
		for _, c := range cols {
			for r := range f {
				g[c][r] += f[r]
			}
		}
	}
	return g
}

// demoOKVED holds real OKVED2 codes of each section, so that demo employers
// look like real ones.
var demoOKVED = map[string][]string{
	"A": {"01.11", "01.13.1", "01.41", "01.47", "02.10", "02.20", "03.11"},
	"B": {"05.10", "06.10", "07.10", "08.12", "09.10"},
	"C": {"10.11", "10.51", "10.71", "11.07", "16.10", "20.14", "22.29", "23.61", "24.10", "25.11", "25.62", "27.11",
		"28.14", "29.10", "29.32", "30.30", "31.01", "32.50", "33.12"},
	"D": {"35.11", "35.12", "35.13", "35.30"},
	"E": {"36.00", "37.00", "38.11", "38.21", "39.00"},
	"F": {"41.20", "42.11", "42.21", "43.21", "43.22", "43.99"},
	"G": {"45.20", "45.32", "46.17", "46.69", "46.90", "47.11", "47.19", "47.73"},
	"H": {"49.31", "49.41", "49.42", "52.10", "52.21", "53.10"},
	"I": {"55.10", "56.10", "56.29"},
	"J": {"58.11", "60.10", "61.10", "62.01", "62.02", "63.11"},
	"K": {"64.19", "65.12", "66.22"},
	"L": {"68.20", "68.32"},
	"M": {"69.10", "70.22", "71.12", "71.20", "72.19", "73.11", "74.20", "75.00"},
	"N": {"77.11", "78.10", "80.10", "81.10", "81.29", "82.99"},
	"O": {"84.11", "84.25"},
	"P": {"85.11", "85.12", "85.14", "85.21", "85.41"},
	"Q": {"86.10", "86.21", "86.23", "87.30", "88.10"},
	"R": {"90.01", "91.01", "93.11", "93.29"},
	"S": {"94.11", "95.11", "96.02"},
	"T": {"97.00", "98.10"},
	"U": {"99.00"},
}
