package store

import (
	"fmt"
)

// Section is an OKVED2 section (ОК 029-2014) and its place in the Summary.
type Section struct {
	Letter   string // "A" … "U"
	Row      int    // Summary row 2…20; 0 for T and U, which the Summary has no row for
	From, To int    // the range of two-digit classes
	Name     string
}

// Sections lists the OKVED2 sections A…U in order (FORMS.md §4).
var Sections = []Section{
	{"A", 2, 1, 3, "Сельское, лесное хозяйство, охота, рыболовство и рыбоводство"},
	{"B", 3, 5, 9, "Добыча полезных ископаемых"},
	{"C", 4, 10, 33, "Обрабатывающие производства"},
	{"D", 5, 35, 35, "Обеспечение электрической энергией, газом и паром; кондиционирование воздуха"},
	{"E", 6, 36, 39,
		"Водоснабжение; водоотведение, организация сбора и утилизации отходов, деятельность по ликвидации загрязнений"},
	{"F", 7, 41, 43, "Строительство"},
	{"G", 8, 45, 47, "Торговля оптовая и розничная; ремонт автотранспортных средств и мотоциклов"},
	{"H", 9, 49, 53, "Транспортировка и хранение"},
	{"I", 10, 55, 56, "Деятельность гостиниц и предприятий общественного питания"},
	{"J", 11, 58, 63, "Деятельность в области информации и связи"},
	{"K", 12, 64, 66, "Деятельность финансовая и страховая"},
	{"L", 13, 68, 68, "Деятельность по операциям с недвижимым имуществом"},
	{"M", 14, 69, 75, "Деятельность профессиональная, научная и техническая"},
	{"N", 15, 77, 82, "Деятельность административная и сопутствующие дополнительные услуги"},
	{"O", 16, 84, 84, "Государственное управление и обеспечение военной безопасности; социальное обеспечение"},
	{"P", 17, 85, 85, "Образование"},
	{"Q", 18, 86, 88, "Деятельность в области здравоохранения и социальных услуг"},
	{"R", 19, 90, 93, "Деятельность в области культуры, спорта, организации досуга и развлечений"},
	{"S", 20, 94, 96, "Предоставление прочих видов услуг"},
	{"T", 0, 97, 98,
		"Деятельность домашних хозяйств как работодателей; недифференцированная деятельность частных домашних хозяйств по " +
			"производству товаров и оказанию услуг для собственного потребления"},
	{"U", 0, 99, 99, "Деятельность экстерриториальных организаций и органов"},
}

// sectionByClass maps a two-digit class to its index in Sections, or -1.
var sectionByClass = func() [100]int8 {
	var t [100]int8
	for i := range t {
		t[i] = -1
	}
	for i, s := range Sections {
		for c := s.From; c <= s.To; c++ {
			t[c] = int8(i)
		}
	}
	return t
}()

// oldOnlyClasses are two-digit classes that exist in the old OKVED (ОК 029-2001)
// but not in OKVED2.
var oldOnlyClasses = map[int]string{
	34: "производство автомобилей", 40: "производство и распределение электроэнергии, газа и воды",
	67: "вспомогательная деятельность в сфере финансов",
}

// SectionOf returns the section of a syntactically valid OKVED2 code, or nil.
func SectionOf(code string) *Section {
	if len(code) < 2 || code[0] < '0' || code[0] > '9' || code[1] < '0' || code[1] > '9' {
		return nil
	}
	i := sectionByClass[int(code[0]-'0')*10+int(code[1]-'0')]
	if i < 0 {
		return nil
	}
	return &Sections[i]
}

// SectionIndex returns the index in Sections of the code's section, or -1.
func SectionIndex(code string) int {
	if len(code) < 2 || code[0] < '0' || code[0] > '9' || code[1] < '0' || code[1] > '9' {
		return -1
	}
	return int(sectionByClass[int(code[0]-'0')*10+int(code[1]-'0')])
}

// CheckOKVED returns nil when code has one of the shapes NN, NN.N, NN.NN,
// NN.NN.N, NN.NN.NN and its first two digits are an existing OKVED2 class.
// A code that exists only in the old classifier (ОК 029-2001) is refused with
// a message that says so.
func CheckOKVED(code string) error {
	if code == "" {
		return fmt.Errorf("ОКВЭД: код не указан")
	}
	if !okvedShape(code) {
		return fmt.Errorf("код ОКВЭД «%s»: нужен вид NN, NN.N, NN.NN, NN.NN.N или NN.NN.NN", code)
	}
	class := int(code[0]-'0')*10 + int(code[1]-'0')
	if sectionByClass[class] >= 0 {
		return nil
	}
	if what, ok := oldOnlyClasses[class]; ok {
		return fmt.Errorf("код ОКВЭД %s: класса %02d нет в ОКВЭД2 (ОК 029-2014); это код старого ОКВЭД (ОК 029-2001, %s) — "+
			"введите код по ОКВЭД2", code, class, what)
	}
	return fmt.Errorf("код ОКВЭД %s: класса %02d нет в ОКВЭД2 (ОК 029-2014)", code, class)
}

func okvedShape(code string) bool {
	// NN, then up to two groups of one or two digits, each after a dot;
	// with two groups the first has two digits. No allocation: the Summary
	// calls this for every entry.
	if len(code) < 2 || !isDigit(code[0]) || !isDigit(code[1]) {
		return false
	}
	var groups [2]int // digits in each group after a dot
	n, i := 0, 2
	for i < len(code) {
		if code[i] != '.' || n == 2 {
			return false
		}
		i++
		j := i
		for j < len(code) && isDigit(code[j]) {
			j++
		}
		if j-i < 1 || j-i > 2 {
			return false
		}
		groups[n] = j - i
		n++
		i = j
	}
	return n < 2 || groups[0] == 2
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
