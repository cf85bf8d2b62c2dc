Attribute VB_Name = "govxl"
'===========================================================================
' govxl 宏：在 Excel/WPS 表格中一键计算政务信息报送积分排名
'
' 用法：
'   1. 把本模块导入一个启用宏的工作簿（.xlsm），该工作簿放在 govxl 工作目录中
'      （与 govxl.xlsx、workbooks、out 同一文件夹）。
'   2. 在第一个工作表的 B2 单元格填写月份，例如 2025-10。
'   3. 运行宏 GovxlScore（可在“开发工具 → 宏”中运行，或绑定到按钮）。
' 宏以隐藏窗口运行 govxl score 并等待其结束，读取 --result 写出的 UTF-8 结果文件，
' 用消息框报告结果，把结果写入 B3（说明）、B4（退出码）、B5（排名工作簿），
' 并以只读方式打开排名工作簿（再次运行前请先关闭它，否则 govxl 不会覆盖，退出码 3）。
'
' 退出码：0 完成；1 完成但有数据错误；2 配置或用法错误；3 输出文件被占用；
'         4 有登记表无法读取（其余已计算）；5 内部错误。
' 本文件以 GBK 编码保存，供中文版 Excel/WPS 直接导入。
'===========================================================================
Option Explicit

' govxl 命令：已加入 PATH 时写 govxl；否则写完整路径，如 "C:\govxl\govxl.exe"
Private Const GOVXL_EXE As String = "govxl"
Private Const MONTH_CELL As String = "B2"
Private Const STATUS_CELL As String = "B3"
Private Const CODE_CELL As String = "B4"
Private Const OUTPUT_CELL As String = "B5"
' 另一位同事正在向同一 out 文件夹写入时，最多等待的秒数
Private Const WAIT_SECONDS As Long = 60

Public Sub GovxlScore()
    Dim sheet As Object, sDir As String, sMonth As String, sResult As String, sCmd As String
    Dim sh As Object, fso As Object, nCode As Long, sJson As String, sMsg As String, sOut As String

    Set sheet = ThisWorkbook.Worksheets(1)
    sDir = ThisWorkbook.Path
    sMonth = MonthText(sheet.Range(MONTH_CELL))
    If sMonth = "" Then
        MsgBox "请先在 " & MONTH_CELL & " 单元格填写月份，例如 2025-10。", vbExclamation, "govxl"
        Exit Sub
    End If

    Set fso = CreateObject("Scripting.FileSystemObject")
    sResult = fso.BuildPath(fso.GetSpecialFolder(2), "govxl-结果-" & Format(Now, "yyyymmddhhnnss") & ".json")
    sCmd = Q(GOVXL_EXE) & " score --month " & sMonth _
         & " --config " & Q(sDir & "\govxl.xlsx") _
         & " --out " & Q(sDir & "\out") _
         & " --wait " & WAIT_SECONDS _
         & " --result " & Q(sResult) _
         & " " & Q(sDir & "\workbooks")

    Set sh = CreateObject("WScript.Shell")
    sh.CurrentDirectory = sDir
    Application.StatusBar = "govxl 正在计算 " & sMonth & " 的积分排名……"
    On Error GoTo NotStarted
    nCode = sh.Run(sCmd, 0, True)          ' 0 = 隐藏窗口，True = 等待 govxl 结束
    On Error GoTo 0
    Application.StatusBar = False

    If fso.FileExists(sResult) Then
        sJson = ReadUtf8(sResult)
        fso.DeleteFile sResult
        sOut = FirstOutput(sJson)
        If sOut <> "" And InStr(sOut, ":") = 0 And Left(sOut, 2) <> "\\" Then sOut = sDir & "\" & Replace(sOut, "/", "\")
        sMsg = Outcome(nCode, sJson)
    Else
        sMsg = "govxl 已结束（退出码 " & nCode & "），但没有写出结果文件。请在命令行运行 govxl check 查看原因。"
    End If

    sheet.Range(STATUS_CELL).Value = sMsg
    sheet.Range(CODE_CELL).Value = nCode
    sheet.Range(OUTPUT_CELL).Value = sOut

    Select Case nCode
        Case 0
            MsgBox sMsg, vbInformation, "govxl"
        Case 1, 4
            MsgBox sMsg, vbExclamation, "govxl"
        Case Else
            MsgBox sMsg, vbCritical, "govxl"
    End Select
    If (nCode = 0 Or nCode = 1 Or nCode = 4) And sOut <> "" Then
        If fso.FileExists(sOut) Then Workbooks.Open Filename:=sOut, ReadOnly:=True
    End If
    Exit Sub

NotStarted:
    Application.StatusBar = False
    MsgBox "无法运行 govxl（" & Err.Description & "）。" & vbCrLf & _
           "请确认已安装 govxl，或在本模块开头把 GOVXL_EXE 改为 govxl.exe 的完整路径。", vbCritical, "govxl"
End Sub

' 结果说明（与 tests/macro/govxl_lo.bas 中的 LibreOffice 版一致）
Private Function Outcome(ByVal nCode As Long, ByVal sJson As String) As String
    Select Case nCode
        Case 0
            Outcome = "计算完成：" & JsonIn(sJson, "period", "title") & "，报送 " & JsonIn(sJson, "totals", "submitted") _
                    & " 篇，采用 " & JsonIn(sJson, "totals", "adopted") & " 篇。"
        Case 1
            Outcome = "计算完成，但有 " & CountErrors(sJson) & " 处数据错误，请查看排名工作簿的“数据问题”表。"
        Case 2
            Outcome = "配置或用法错误：" & JsonValue(sJson, "error")
        Case 3
            Outcome = "输出文件被占用：" & JsonValue(sJson, "error")
        Case 4
            Outcome = "有登记表无法读取（已损坏、加密或不是表格），其余登记表已计算；共 " & CountErrors(sJson) _
                    & " 处错误，请查看排名工作簿的“数据问题”表。"
        Case Else
            Outcome = "govxl 内部错误：" & JsonValue(sJson, "error")
    End Select
End Function

' 输入 2025-10 时 Excel 常把它变成日期：两种情况都取“年-月”
Private Function MonthText(ByVal cell As Object) As String
    If IsDate(cell.Value) And VarType(cell.Value) = vbDate Then
        MonthText = Format(cell.Value, "yyyy-mm")
    Else
        MonthText = Trim(CStr(cell.Value))
    End If
End Function

Private Function Q(ByVal s As String) As String
    Q = """" & s & """"
End Function

' --result 文件总是 UTF-8 编码
Private Function ReadUtf8(ByVal sPath As String) As String
    Dim st As Object
    Set st = CreateObject("ADODB.Stream")
    st.Type = 2
    st.Charset = "utf-8"
    st.Open
    st.LoadFromFile sPath
    ReadUtf8 = st.ReadText(-1)
    st.Close
End Function

' ---- 读取 govxl 结果 JSON 中的简单值 ----

Private Function JsonValue(ByVal sJson As String, ByVal sKey As String) As String
    JsonValue = JsonValueAt(sJson, sKey, 1)
End Function

Private Function JsonIn(ByVal sJson As String, ByVal sSection As String, ByVal sKey As String) As String
    Dim p As Long
    p = InStr(1, sJson, """" & sSection & """:")
    If p = 0 Then
        JsonIn = ""
    Else
        JsonIn = JsonValueAt(sJson, sKey, p)
    End If
End Function

Private Function JsonValueAt(ByVal sJson As String, ByVal sKey As String, ByVal nStart As Long) As String
    Dim p As Long, q As Long, c As String
    p = InStr(nStart, sJson, """" & sKey & """:")
    If p = 0 Then
        JsonValueAt = ""
        Exit Function
    End If
    p = p + Len(sKey) + 3
    Do While Mid(sJson, p, 1) = " "
        p = p + 1
    Loop
    If Mid(sJson, p, 1) = """" Then
        JsonValueAt = JsonString(sJson, p)
    Else
        q = p
        Do While q <= Len(sJson)
            c = Mid(sJson, q, 1)
            If c = "," Or c = "}" Or c = "]" Or c = vbLf Or c = vbCr Then Exit Do
            q = q + 1
        Loop
        JsonValueAt = Trim(Mid(sJson, p, q - p))
    End If
End Function

Private Function JsonString(ByVal sJson As String, ByVal p As Long) As String
    ' p 指向开头的引号
    Dim s As String, c As String, i As Long
    i = p + 1
    Do While i <= Len(sJson)
        c = Mid(sJson, i, 1)
        If c = """" Then Exit Do
        If c = "\" Then
            i = i + 1
            c = Mid(sJson, i, 1)
            Select Case c
                Case "n": s = s & vbLf
                Case "t": s = s & vbTab
                Case "r": s = s & vbCr
                Case "u"
                    s = s & ChrW(CLng("&H" & Mid(sJson, i + 1, 4)))
                    i = i + 4
                Case Else: s = s & c
            End Select
        Else
            s = s & c
        End If
        i = i + 1
    Loop
    JsonString = s
End Function

Private Function FirstOutput(ByVal sJson As String) As String
    Dim p As Long
    p = InStr(1, sJson, """outputs"":")
    If p = 0 Then Exit Function
    p = InStr(p, sJson, "[")
    Do While Mid(sJson, p + 1, 1) = " " Or Mid(sJson, p + 1, 1) = vbLf Or Mid(sJson, p + 1, 1) = vbCr
        p = p + 1
    Loop
    If Mid(sJson, p + 1, 1) = """" Then FirstOutput = JsonString(sJson, p + 1)
End Function

Private Function CountErrors(ByVal sJson As String) As Long
    Dim p As Long, n As Long
    p = InStr(1, sJson, """severity"": ""error""")
    Do While p > 0
        n = n + 1
        p = InStr(p + 1, sJson, """severity"": ""error""")
    Loop
    CountErrors = n
End Function
