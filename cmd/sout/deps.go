package main
import (
 _ "charm.land/bubbletea/v2"
 _ "charm.land/bubbles/v2/table"
 _ "charm.land/bubbles/v2/list"
 _ "charm.land/bubbles/v2/spinner"
 _ "charm.land/bubbles/v2/textinput"
 _ "charm.land/bubbles/v2/help"
 _ "charm.land/bubbles/v2/key"
 _ "charm.land/bubbles/v2/viewport"
 _ "charm.land/lipgloss/v2"
 _ "charm.land/wish/v2"
 _ "charm.land/wish/v2/bubbletea"
 _ "charm.land/log/v2"
 _ "github.com/charmbracelet/ssh"
 _ "github.com/charmbracelet/colorprofile"
 _ "github.com/charmbracelet/x/exp/teatest/v2"
 _ "go.etcd.io/bbolt"
 _ "github.com/xuri/excelize/v2"
 _ "golang.org/x/text/encoding/charmap"
)

